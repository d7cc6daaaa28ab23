"""SLA clocks: the contractual first-response clock and the channel response clock.

READING.md §1-3. A clock starts when the ticket is received, counts business or wall-clock
time, is fulfilled by the first public reply written by a human agent, and is breached when the
time accrued while it ran exceeds its target. A severity or plan change applies the new target
from the original start, so time already accrued is kept.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from soporte.policy.durations import Basis, Target
from soporte.policy.model import Policy


class ClockKind(enum.Enum):
    FIRST_RESPONSE = "first_response"
    CHANNEL_RESPONSE = "channel_response"


class ClockStatus(enum.Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    MET = "met"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class SlaClock:
    """One running (or fulfilled) clock. ``budget`` is the time it may accrue before breaching."""

    kind: ClockKind
    target: Target
    started_at: datetime
    due_at: datetime
    budget: timedelta
    fulfilled_at: datetime | None = None

    @property
    def counts_business_time(self) -> bool:
        return self.target.basis is not Basis.WALL


@dataclass(frozen=True, slots=True)
class ClockState:
    """A clock seen at one instant."""

    status: ClockStatus
    elapsed: timedelta
    remaining: timedelta
    """Business (or wall-clock) time left before the breach; negative once breached."""
    share: float
    """Share of the budget used (1.0 = due now; always 1.0 for an empty budget)."""
    due_at_opening: datetime | None = None
    """A running business-time clock whose whole budget is used while support is closed (it
    came due on a close, or its target is zero): the opening at which it is due. Nothing is
    "left" meanwhile, and it is not breached yet."""


@dataclass(frozen=True, slots=True)
class TicketClocks:
    """Both clocks of a ticket; ``entitled`` is False when the plan lacks the channel."""

    first_response: SlaClock
    channel_response: SlaClock | None
    entitled: bool

    def earliest_due(self) -> datetime:
        dues = [c.due_at for c in (self.first_response, self.channel_response) if c]
        return min(dues)


def start_clock(policy: Policy, kind: ClockKind, target: Target, started_at: datetime) -> SlaClock:
    """A clock with ``target`` counted from ``started_at``."""
    if target.basis is Basis.SAME_BUSINESS_DAY:
        due = policy.calendar.close_of_business_day(started_at)
        budget = policy.calendar.elapsed(started_at, due)
    else:
        due = policy.clock_for(target).add(started_at, target.amount)
        budget = target.amount
    return SlaClock(kind, target, started_at, due, budget)


def first_response_clock(
    policy: Policy, *, plan: str, severity: str, opened_at: datetime
) -> SlaClock:
    target = policy.first_response_target(plan, severity)
    return start_clock(policy, ClockKind.FIRST_RESPONSE, target, opened_at)


def channel_response_clock(
    policy: Policy, *, plan: str, channel: str, opened_at: datetime
) -> SlaClock | None:
    """The channel's own clock, or None when the channel's target is the SLA grid or the plan
    is not entitled to the channel (the message is then an email-grade ticket)."""
    rule = policy.channel(channel)
    if rule.target is None or not is_entitled(policy, plan=plan, channel=channel):
        return None
    return start_clock(policy, ClockKind.CHANNEL_RESPONSE, rule.target, opened_at)


def is_entitled(policy: Policy, *, plan: str, channel: str) -> bool:
    return policy.plan(plan).code in policy.channel(channel).plans


def open_clocks(
    policy: Policy, *, plan: str, severity: str, channel: str, opened_at: datetime
) -> TicketClocks:
    """The clocks a new ticket carries (READING.md §2-3)."""
    return TicketClocks(
        first_response=first_response_clock(
            policy, plan=plan, severity=severity, opened_at=opened_at
        ),
        channel_response=channel_response_clock(
            policy, plan=plan, channel=channel, opened_at=opened_at
        ),
        entitled=is_entitled(policy, plan=plan, channel=channel),
    )


def recompute(policy: Policy, clock: SlaClock, target: Target) -> SlaClock:
    """The clock under a new target, from the original start (accrued time is kept)."""
    fresh = start_clock(policy, clock.kind, target, clock.started_at)
    return replace(fresh, fulfilled_at=clock.fulfilled_at)


def fulfil(clock: SlaClock, at: datetime) -> SlaClock:
    """The first public reply written by a human agent, at ``at``; later replies change nothing."""
    if clock.fulfilled_at is not None:
        return clock
    return replace(clock, fulfilled_at=max(at, clock.started_at))


def elapsed(policy: Policy, clock: SlaClock, until: datetime) -> timedelta:
    """Time the clock has accrued from its start until ``until`` (or until it was fulfilled)."""
    end = until if clock.fulfilled_at is None else min(until, clock.fulfilled_at)
    return policy.clock_for(clock.target).elapsed(clock.started_at, end)


def breach_after(policy: Policy, clock: SlaClock) -> datetime:
    """The instant after which an unfulfilled clock is breached.

    For business time this is the next opening at or after the due time: a due time that lands
    on a close is not breached overnight, only once business time runs again.
    """
    if clock.counts_business_time:
        return policy.calendar.next_open(clock.due_at)
    return clock.due_at


def state(
    policy: Policy, clock: SlaClock, now: datetime, *, warning_at: float | None = None
) -> ClockState:
    """The clock at ``now``: on track, at risk (past the warning share), breached, met or missed."""
    used = elapsed(policy, clock, now)
    remaining = clock.budget - used
    share = used / clock.budget if clock.budget else 1.0
    over = used > clock.budget
    if clock.fulfilled_at is not None and clock.fulfilled_at <= now:
        status = ClockStatus.MISSED if over else ClockStatus.MET
    elif over:
        status = ClockStatus.BREACHED
    elif share >= (policy.escalation.sla_warning_at if warning_at is None else warning_at):
        status = ClockStatus.AT_RISK
    else:
        status = ClockStatus.ON_TRACK
    running = status in (ClockStatus.ON_TRACK, ClockStatus.AT_RISK)
    waits = running and remaining == timedelta(0) and clock.counts_business_time
    opening = breach_after(policy, clock) if waits else None
    return ClockState(status, used, remaining, share, opening)
