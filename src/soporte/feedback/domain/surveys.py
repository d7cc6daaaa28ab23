"""When a CSAT survey goes out, and how long its answer may change (READING.md §7).

One survey per resolution; none to a contact who opted out; none within the policy's
``csat.gap_hours`` of the last survey the contact was sent that still stands (a voided one, whose
ticket was reopened, does not count: the customer rates the resolution that held). An answer may
be given, changed or commented on for ``csat.change_days`` after the survey was sent.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime, timedelta


class Skip(enum.Enum):
    """Why a resolution gets no survey."""

    OPTED_OUT = "opted_out"
    RECENT_SURVEY = "recent_survey"


def skip(
    *, opted_out: bool, last_sent: datetime | None, now: datetime, gap: timedelta
) -> Skip | None:
    """Why no survey goes out at ``now`` (None: send it). ``last_sent``: when the contact's last
    standing (not voided) survey went out."""
    if opted_out:
        return Skip.OPTED_OUT
    if last_sent is not None and now - last_sent < gap:
        return Skip.RECENT_SURVEY
    return None


def open_for_answers(*, sent_at: datetime, now: datetime, change_days: int) -> bool:
    """The survey still takes an answer, a change or a comment at ``now``."""
    return sent_at <= now < sent_at + timedelta(days=change_days)


def below_best(answer: str, answers: Sequence[str]) -> bool:
    """``answer`` is below the best of the policy's ``answers`` (best first): a review item."""
    if answer not in answers:
        raise ValueError(f"unknown answer {answer!r} (valid: {', '.join(answers)})")
    return answer != answers[0]
