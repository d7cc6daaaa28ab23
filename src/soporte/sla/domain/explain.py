"""Why a clock is due when it is: the facts behind a due time, ready to be put into words.

Pure: this module gathers facts (when the clock started accruing, which closed periods it
skipped, how much is left at an instant); ``soporte.sla.explain`` words them in Spanish or
English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from soporte.bizclock import ClosedPeriod
from soporte.policy.model import Policy
from soporte.sla.domain.clocks import ClockState, SlaClock, state


@dataclass(frozen=True, slots=True)
class ClockFacts:
    clock: SlaClock
    accrues_from: datetime
    """The start, or the next opening when the clock started outside business hours."""
    skipped: tuple[ClosedPeriod, ...]
    """Closed periods between the start and the due time (business clocks only)."""
    now: datetime | None
    state: ClockState | None
    resumes_at: datetime | None
    """When support is closed at ``now`` and the clock is still running: the next opening."""


def clock_facts(policy: Policy, clock: SlaClock, now: datetime | None = None) -> ClockFacts:
    calendar = policy.calendar
    business = clock.counts_business_time
    accrues_from = calendar.next_open(clock.started_at) if business else clock.started_at
    skipped = tuple(calendar.closed_periods(accrues_from, clock.due_at)) if business else ()
    seen = None if now is None else state(policy, clock, now)
    resumes_at = None
    if now is not None and business and clock.fulfilled_at is None and not calendar.is_open(now):
        resumes_at = calendar.next_open(now)
    return ClockFacts(clock, accrues_from, skipped, now, seen, resumes_at)
