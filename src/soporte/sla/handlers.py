"""The warning and breach timers: each tells the ticket's tier leads once, in business time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from soporte.jobs.registry import handler
from soporte.notify import services as notify
from soporte.policy import default_policy
from soporte.sla import domain
from soporte.sla.models import Clock
from soporte.sla.services import BREACH_TIMER, WARNING_TIMER
from soporte.tickets import timeline
from soporte.tickets.models import EventKind


@handler(WARNING_TIMER)
def warn(job: Any, *, now: datetime) -> None:
    row = _running_clock(job.payload)
    if row is None or row.warned_at is not None:
        return
    seen = domain.state(default_policy(), row.as_domain(), now)
    if seen.status is not domain.ClockStatus.AT_RISK:
        return  # breached already (the breach timer tells the leads) or not yet at risk
    row.warned_at = now
    row.save(update_fields=["warned_at"])
    timeline.record(
        row.ticket,
        EventKind.CLOCK_WARNING,
        at=now,
        clock=row.kind,
        left_seconds=seen.remaining.total_seconds(),
    )
    notify.tell_leads(ticket=row.ticket, event="sla_at_risk", clock=row, now=now)


@handler(BREACH_TIMER)
def breach(job: Any, *, now: datetime) -> None:
    row = _running_clock(job.payload)
    if row is None or row.breached_at is not None:
        return
    seen = domain.state(default_policy(), row.as_domain(), now)
    if seen.status is not domain.ClockStatus.BREACHED:
        return
    row.breached_at = now
    row.save(update_fields=["breached_at"])
    timeline.record(
        row.ticket,
        EventKind.CLOCK_BREACHED,
        at=now,
        clock=row.kind,
        over_seconds=-seen.remaining.total_seconds(),
    )
    notify.tell_leads(ticket=row.ticket, event="sla_breached", clock=row, now=now)


def _running_clock(payload: dict[str, Any]) -> Clock | None:
    """The clock the timer was set for, if it is still that version and still running."""
    return (
        Clock.objects.select_for_update()
        .select_related("ticket")
        .filter(
            pk=int(payload["clock"]), version=int(payload["version"]), fulfilled_at__isnull=True
        )
        .first()
    )
