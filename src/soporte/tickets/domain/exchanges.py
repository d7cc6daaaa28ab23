"""T1 → T2 after two back-and-forths (READING.md §4, §9).

A back-and-forth is a public T1 reply followed by a customer reply. Count the public T1 replies
since the count last started: a customer reply that arrives after the ``limit``-th of them, on a
ticket that is not solved, moves it to T2, however the replies interleave (T1, T1, customer
moves it). A customer reply to a ticket that was solved when they wrote reopens it and starts
the count again: it is not a failed back-and-forth.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Speaker(enum.Enum):
    CUSTOMER = "customer"
    T1 = "T1"
    """A human agent at T1."""
    OTHER_AGENT = "other_agent"
    """An agent at another tier, an integration (bot) or a system message: none counts."""


@dataclass(frozen=True, slots=True)
class PublicMessage:
    speaker: Speaker
    to_solved: bool = False
    """A customer's reply to a ticket that was solved when they wrote (it reopened it)."""


def t1_replies(messages: Iterable[PublicMessage]) -> int:
    """The public T1 replies since the count last started (the ticket's first message, or the
    last customer reply that reopened it)."""
    count = 0
    for message in messages:
        if message.speaker is Speaker.CUSTOMER and message.to_solved:
            count = 0
        elif message.speaker is Speaker.T1:
            count += 1
    return count


def escalates_to_t2(earlier: Iterable[PublicMessage], reply: PublicMessage, *, limit: int) -> bool:
    """True when ``reply``, a new public message after ``earlier`` (in order), is a customer's
    reply that moves the ticket to T2: T1 has replied ``limit`` times since the count started
    and the ticket was not solved when the customer wrote."""
    return (
        reply.speaker is Speaker.CUSTOMER and not reply.to_solved and t1_replies(earlier) >= limit
    )
