"""Rows for the CSAT, volume and on-call reports' tests, at fixed Mexico City instants: tickets
opened through the tickets service, and surveys and pages written straight to the database (in
production the CSAT and escalation services write them; their credit is frozen on the row)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from soporte.escalation.models import Page, PageNotification
from soporte.feedback.models import Survey
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake

MX = ZoneInfo("America/Mexico_City")
MONDAY = date(2026, 11, 30)  # 2026-W49; the tests' period is W49 and W50
PERIOD = {"period": "custom", "start": "2026-11-30", "end": "2026-12-13"}


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MX)


def ticket(
    world: Any, *, at: datetime, plan: str = "pro", channel: str = "email", severity: str = "P2"
) -> Any:
    return tickets.open_ticket(
        requester=world.contacts[plan],
        channel=channel,
        severity=severity,
        subject="No aparecen mis ventas",
        body="Desde ayer no veo las ventas de la máquina 12.",
        intake=Intake(),
        received_at=at,
        now=at,
    )


def survey(
    world: Any,
    on: Any,
    *,
    sent: datetime,
    answer: str = "up",
    agent: str | None = "t1",
    tier: str = "T1",
    channel: str = "email",
    severity: str = "P2",
    voided: bool = False,
) -> Survey:
    """A survey of ticket ``on``'s resolution at ``sent``, credited as given."""
    return Survey.objects.create(
        ticket=on,
        resolved_at=sent,
        contact=on.requester,
        organisation=on.organisation,
        sent_at=sent,
        voided_at=sent + timedelta(hours=1) if voided else None,
        agent=world.agents[agent] if agent else None,
        tier=tier,
        channel=channel,
        plan=on.plan,
        severity=severity,
        answer=answer,
        answered_at=sent + timedelta(minutes=5) if answer else None,
    )


def page(
    on: Any,
    *,
    opened: datetime,
    severity: str = "P1",
    acknowledged: timedelta | None = None,
    by: Any = None,
    notified: tuple[tuple[Any, timedelta, str], ...] = (),
) -> Page:
    """A page of ticket ``on`` opened at ``opened``, acknowledged ``acknowledged`` later by
    ``by``, resolved, which notified each ``(agent, after, target)`` (a second transport for
    the same person is a second row, as when the first one fails)."""
    row = Page.objects.create(
        ticket=on,
        reason="code_bug",
        severity=severity,
        chain={"steps": []},
        policy_version="test",
        opened_at=opened,
        acknowledged_at=opened + acknowledged if acknowledged is not None else None,
        acknowledged_by=by,
        resolved_at=opened + timedelta(hours=2),
    )
    for agent, after, target in notified:
        PageNotification.objects.create(
            page=row,
            step=1,
            target=target,
            agent=agent,
            transport="email",
            created_at=opened + after,
        )
    return row
