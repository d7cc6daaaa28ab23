"""Starting, fulfilling and recomputing a ticket's clocks; their timers live in the jobs app.

Every function runs inside the caller's transaction: the clocks, their timeline events and their
warning/breach timers commit together with the ticket change that caused them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from soporte.accounts.models import Agent
from soporte.jobs import services as jobs
from soporte.policy import Policy
from soporte.sla import domain
from soporte.sla.models import Clock
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Ticket
from soporte.tickets.timeline import Actor

WARNING_TIMER = "sla.warning"
BREACH_TIMER = "sla.breach"
_JUST_AFTER = timedelta(microseconds=1)


class NewClock(NamedTuple):
    """A new clock's values, in ``Clock``'s column order from ``kind`` to ``warn_at``."""

    kind: str
    target: str
    basis: str
    budget: timedelta
    started_at: datetime
    due_at: datetime
    breach_after: datetime
    warn_at: datetime


def new_clocks(
    policy: Policy, *, plan: str, severity: str, channel: str, opened_at: datetime
) -> list[NewClock]:
    """The clocks of a new ticket (READING.md §2-3), from the moment it was received, with their
    warning and breach times; ``timers`` gives their timer jobs once saved."""
    clocks = domain.open_clocks(
        policy, plan=plan, severity=severity, channel=channel, opened_at=opened_at
    )
    rows = []
    for clock in (clocks.first_response, clocks.channel_response):
        if clock is not None:
            warn_at, breach_after = _deadlines(clock, policy)
            rows.append(
                NewClock(
                    clock.kind.value,
                    clock.target.text,
                    clock.target.basis.value,
                    clock.budget,
                    clock.started_at,
                    clock.due_at,
                    breach_after=breach_after,
                    warn_at=warn_at,
                )
            )
    return rows


def started_data(clock: NewClock, policy: Policy) -> dict[str, Any]:
    """The data of a new clock's ``clock started`` event."""
    return {"clock": clock.kind, "target": clock.target, "due_at": _local(clock.due_at, policy)}


def timers(row: Clock) -> list[tuple[str, str, datetime, dict[str, Any]]]:
    """``(kind, key, due_at, payload)`` of the warning and breach timers of a running clock."""
    if row.fulfilled_at is not None:
        return []
    return new_timers(row.pk, row.version, warn_at=row.warn_at, breach_after=row.breach_after)


def new_timers(
    pk: int, version: int, *, warn_at: datetime, breach_after: datetime
) -> list[tuple[str, str, datetime, dict[str, Any]]]:
    """``timers`` of running clock ``pk`` at ``version``, from its warning and breach times."""
    payload = {"clock": pk, "version": version}
    return [
        (WARNING_TIMER, _timer_key(WARNING_TIMER, pk, version), warn_at, payload),
        (BREACH_TIMER, _timer_key(BREACH_TIMER, pk, version), breach_after + _JUST_AFTER, payload),
    ]


def fulfil_clocks(*, ticket: Ticket, at: datetime, actor: Actor, policy: Policy) -> None:
    """The first public reply by a human agent fulfils every running clock of the ticket; an
    integration (bot) account never does (READING.md §2, §9), so its call changes nothing."""
    if isinstance(actor, Agent) and not actor.is_human:
        return
    for row in ticket.clocks.filter(fulfilled_at__isnull=True):
        clock = domain.fulfil(row.as_domain(), at)
        seen = domain.state(policy, clock, at)
        row.fulfilled_at = clock.fulfilled_at
        row.save(update_fields=["fulfilled_at"])
        _cancel_timers(row, at)
        timeline.record(
            ticket,
            EventKind.CLOCK_FULFILLED,
            at=at,
            actor=actor,
            clock=row.kind,
            met=seen.status is domain.ClockStatus.MET,
            business_seconds=seen.elapsed.total_seconds(),
        )
    refresh_next_due(ticket)


def recompute_clocks(
    *, ticket: Ticket, policy: Policy, reason: str, at: datetime, actor: Actor
) -> None:
    """Apply the targets of the ticket's (new) severity and plan from the original start."""
    wanted = domain.open_clocks(
        policy,
        plan=ticket.plan,
        severity=ticket.severity,
        channel=ticket.channel,
        opened_at=ticket.opened_at,
    )
    fresh = {c.kind.value: c for c in (wanted.first_response, wanted.channel_response) if c}
    for row in ticket.clocks.all():
        target = fresh.get(row.kind)
        if target is None or target.target.text == row.target:
            continue
        before = row.due_at
        _cancel_timers(row, at)
        row.version += 1
        row.policy_version = policy.version
        clock = domain.recompute(policy, row.as_domain(), target.target)
        _apply(row, clock, policy)
        _save_with_timers(row)
        timeline.record(
            ticket,
            EventKind.CLOCK_RECOMPUTED,
            at=at,
            actor=actor,
            clock=row.kind,
            reason=reason,
            target=row.target,
            due_before=_local(before, policy),
            due_after=_local(row.due_at, policy),
        )
    refresh_next_due(ticket)


def refresh_next_due(ticket: Ticket) -> None:
    """Keep ``ticket.next_due_at`` (what queues sort by) equal to its earliest running clock."""
    running = ticket.clocks.filter(fulfilled_at__isnull=True).order_by("due_at").first()
    due = running.due_at if running else None
    if ticket.next_due_at != due:
        ticket.next_due_at = due
        ticket.save(update_fields=["next_due_at"])


def _apply(row: Clock, clock: domain.SlaClock, policy: Policy) -> None:
    warn_at, breach_after = _deadlines(clock, policy)
    row.apply(clock, warn_at=warn_at, breach_after=breach_after)


def _deadlines(clock: domain.SlaClock, policy: Policy) -> tuple[datetime, datetime]:
    """When the leads hear the clock is at risk, and after when it is breached."""
    share = policy.escalation.sla_warning_at
    warn_at = policy.clock_for(clock.target).add(clock.started_at, clock.budget * share)
    return warn_at, domain.breach_after(policy, clock)


def _save_with_timers(row: Clock) -> None:
    """Save a running clock and (re)schedule its warning and breach timers."""
    row.save()
    for kind, key, due_at, payload in timers(row):
        jobs.schedule(kind=kind, key=key, due_at=due_at, payload=payload)


def _cancel_timers(row: Clock, now: datetime) -> None:
    jobs.cancel(key=_key(WARNING_TIMER, row), now=now)
    jobs.cancel(key=_key(BREACH_TIMER, row), now=now)


def _local(moment: datetime, policy: Policy) -> str:
    return moment.astimezone(policy.calendar.zone).isoformat()


def _key(kind: str, row: Clock) -> str:
    return _timer_key(kind, row.pk, row.version)


def _timer_key(kind: str, pk: int, version: int) -> str:
    return f"{kind}:{pk}:v{version}"
