"""T1 → T2 after two back-and-forths (READING.md §4).

A back-and-forth is a public T1 reply followed by a customer reply. When the customer replies
after the limit-th T1 reply and the ticket is still not solved, it moves to T2.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Speaker(enum.Enum):
    CUSTOMER = "customer"
    T1 = "T1"
    OTHER_AGENT = "other_agent"
    """An agent at another tier, or a bot/system message: neither counts."""


@dataclass(frozen=True, slots=True)
class PublicMessage:
    speaker: Speaker


def back_and_forths(messages: Iterable[PublicMessage]) -> int:
    """How many T1 replies were each followed by a customer reply, in order."""
    count, t1_waiting = 0, False
    for message in messages:
        if message.speaker is Speaker.T1:
            t1_waiting = True
        elif message.speaker is Speaker.CUSTOMER and t1_waiting:
            count += 1
            t1_waiting = False
    return count


def escalates_to_t2(messages: Iterable[PublicMessage], *, limit: int, solved: bool) -> bool:
    """True when T1 has had ``limit`` back-and-forths without solving the ticket."""
    return not solved and back_and_forths(messages) >= limit
