"""The page timer's job handler, and the receivers that open and resolve pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from django.dispatch import receiver

from soporte.accounts.models import Agent, email_is
from soporte.escalation import services
from soporte.escalation.models import Page
from soporte.jobs.models import Job
from soporte.jobs.outbox import delivery_failed
from soporte.jobs.registry import handler
from soporte.notify.signals import pagerduty_incident
from soporte.tickets.signals import page_requested, severity_changed, ticket_resolved

log = structlog.get_logger(__name__)


@handler(services.ADVANCE)
def advance_page(job: Job, *, now: datetime) -> None:
    page = Page.objects.filter(pk=job.payload.get("page")).first()
    if page is not None:
        services.advance(page, now=now)


@receiver(page_requested, dispatch_uid="soporte.escalation.open_page")
def _open_page(sender: Any, *, ticket: Any, reason: str, at: datetime, **kwargs: Any) -> None:
    services.open_page(ticket=ticket, reason=reason, at=at)


@receiver(severity_changed, dispatch_uid="soporte.escalation.follow_severity")
def _follow_severity(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    services.follow_severity(ticket=ticket, at=at)


@receiver(pagerduty_incident, dispatch_uid="soporte.escalation.pagerduty_incident")
def _pagerduty_incident(
    sender: Any,
    *,
    event_type: str,
    dedup_key: str | None,
    agent_email: str | None,
    occurred_at: datetime | None,
    received_at: datetime,
    **kwargs: Any,
) -> None:
    """Acknowledged at PagerDuty: acknowledged here, at the time soporte received the event
    (PagerDuty's ``occurred_at`` is kept on the timeline as theirs). (Resolving there does not
    solve the ticket: the ticket's status is decided in soporte, which then resolves the
    incident.)"""
    if event_type != "incident.acknowledged" or not dedup_key:
        return
    page = services.page_of_dedup_key(dedup_key)
    if page is None:
        log.info("escalation.pagerduty_unknown_page", dedup_key=dedup_key)
        return
    agent = Agent.objects.filter(email_is(agent_email)).first() if agent_email else None
    services.acknowledge(
        page=page, agent=agent, via="pagerduty", at=received_at, reported_at=occurred_at
    )


@receiver(delivery_failed, dispatch_uid="soporte.escalation.fall_back")
def _fall_back(sender: Any, *, message_id: int, now: datetime, **kwargs: Any) -> None:
    services.fall_back(message_id=message_id, now=now)


@receiver(ticket_resolved, dispatch_uid="soporte.escalation.resolve_pages")
def _resolve_pages(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    services.resolve_pages(ticket=ticket, at=at)
