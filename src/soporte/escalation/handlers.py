"""The page timer's job handler, and the receivers that open and resolve pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.escalation import services
from soporte.escalation.models import Page
from soporte.jobs.models import Job
from soporte.jobs.registry import handler
from soporte.tickets.signals import page_requested, ticket_resolved


@handler(services.ADVANCE)
def advance_page(job: Job, *, now: datetime) -> None:
    page = Page.objects.filter(pk=job.payload.get("page")).first()
    if page is not None:
        services.advance(page, now=now)


@receiver(page_requested, dispatch_uid="soporte.escalation.open_page")
def _open_page(sender: Any, *, ticket: Any, reason: str, at: datetime, **kwargs: Any) -> None:
    services.open_page(ticket=ticket, reason=reason, at=at)


@receiver(ticket_resolved, dispatch_uid="soporte.escalation.resolve_pages")
def _resolve_pages(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    services.resolve_pages(ticket=ticket, at=at)
