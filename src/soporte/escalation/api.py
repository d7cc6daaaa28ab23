"""A ticket's on-call page over HTTP: its state, who was told over what, and acknowledging it."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from soporte.api import Forbidden, NotFound, RowId, agent_or_403, agents_only, caller, errors
from soporte.escalation import services
from soporte.escalation.models import Page, PageNotification
from soporte.escalation.selectors import latest_page
from soporte.tickets.api import visible_ticket

router = Router(tags=["paging"])


class NotificationOut(Schema):
    step: int
    target: str = Field(
        description="primary, secondary or founder_cto; gap: a lead or the founder paged "
        "because nobody held the step's role."
    )
    agent: str | None = Field(description="Who was told; null when nobody was on call.")
    transport: str = Field(description="email or pagerduty; empty when nobody was on call.")
    delivery: str = Field(description="pending, sent or failed (the outbox message's state).")
    at: datetime


class PageOut(Schema):
    id: int
    ticket_id: int
    severity: str
    reason: str
    opened_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledged_via: str
    resolved_at: datetime | None
    next_step_at: datetime | None = Field(description="When the next step fires, if any.")
    notifications: list[NotificationOut]


def _page_out(page: Page) -> PageOut:
    told = PageNotification.objects.filter(page=page).select_related("agent", "message")
    return PageOut(
        id=page.pk,
        ticket_id=page.ticket_id,
        severity=page.severity,
        reason=page.reason,
        opened_at=page.opened_at,
        acknowledged_at=page.acknowledged_at,
        acknowledged_by=page.acknowledged_by.name if page.acknowledged_by else None,
        acknowledged_via=page.acknowledged_via,
        resolved_at=page.resolved_at,
        next_step_at=page.wake_at,
        notifications=[
            NotificationOut(
                step=n.step,
                target=n.target,
                agent=n.agent.name if n.agent else None,
                transport=n.transport,
                delivery=n.message.status if n.message else "",
                at=n.created_at,
            )
            for n in told
        ],
    )


def _latest_page(request: HttpRequest, ticket_id: int) -> Page:
    user = caller(request)
    ticket = visible_ticket(user, ticket_id)
    page = latest_page(ticket)
    if page is None:
        raise NotFound(f"ticket {ticket_id} has no page")
    return page


@router.get(
    "/{ticket_id}/page",
    response={200: PageOut, **errors(404)},
    summary="The ticket's latest on-call page",
    auth=agents_only("see pages"),
)
def read_page(request: HttpRequest, ticket_id: RowId) -> PageOut:
    return _page_out(_latest_page(request, ticket_id))


@router.post(
    "/{ticket_id}/page/acknowledge",
    response={200: PageOut, **errors(404)},
    summary="Acknowledge the ticket's page (the secondary is not paged)",
    auth=agents_only("acknowledge pages"),
)
def acknowledge_page(request: HttpRequest, ticket_id: RowId) -> PageOut:
    user = caller(request)
    agent = agent_or_403(user, "acknowledge pages")
    page = _latest_page(request, ticket_id)
    try:
        return _page_out(services.acknowledge(page=page, agent=agent, via="api", at=timezone.now()))
    except services.NotAllowed as exc:
        raise Forbidden(str(exc)) from None
