"""When a reply may go as free text, where a new message goes, and what became of a message we
sent (``../shared/reference/protocols.md`` §3.4, §3.7; READING.md §3).

- **The customer-service window.** Free-form messages may be sent within 24 hours of the
  customer's last inbound message; outside it only an approved template.
- **The conversation.** A number's messages go to its latest ticket while it is open; after it
  is solved, to the same ticket (reopening it) within the policy's ``reopen_days``, else to a
  new ticket linked to it.
- **Statuses** arrive in any order (``read`` before ``delivered``): what a message reached is
  the highest it ever reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

WINDOW = timedelta(hours=24)


def window_closes_at(last_inbound: datetime | None) -> datetime | None:
    """When the window the customer's last message opened closes (``None``: never opened)."""
    return None if last_inbound is None else last_inbound + WINDOW


def window_open(last_inbound: datetime | None, now: datetime) -> bool:
    """Whether a free-form message may be sent at ``now`` (half-open: closed at 24 h sharp)."""
    closes = window_closes_at(last_inbound)
    return closes is not None and now < closes


class Continuation(StrEnum):
    NEW = "new"
    """No earlier ticket: a new one."""
    APPEND = "append"
    """The ticket is open: the message joins it."""
    REOPEN = "reopen"
    """Solved no more than ``reopen_days`` ago: the message joins it and reopens it."""
    LINKED = "linked"
    """Solved longer ago: a new ticket, linked to it."""


def continuation(
    *, resolved: bool | None, solved_at: datetime | None, at: datetime, reopen_days: int
) -> Continuation:
    """Where a message sent at ``at`` goes, given the number's latest ticket (``resolved``:
    ``None`` when there is none; ``solved_at``: when it was solved)."""
    if resolved is None:
        return Continuation.NEW
    if not resolved:
        return Continuation.APPEND
    if solved_at is not None and at - solved_at <= timedelta(days=reopen_days):
        return Continuation.REOPEN
    return Continuation.LINKED


STATUS_ORDER = ("sent", "delivered", "read", "played", "failed")
"""A status later in this list wins over an earlier one, whatever the order they arrive in."""


def reached(statuses: Iterable[str]) -> str | None:
    """The highest of ``statuses`` (monotonic maximum; a status we do not know ranks lowest)."""
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    best: str | None = None
    for status in statuses:
        if best is None or rank.get(status, -1) > rank.get(best, -1):
            best = status
    return best
