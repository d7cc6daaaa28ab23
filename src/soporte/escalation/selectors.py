"""Reading pages for the console and the API."""

from __future__ import annotations

from typing import Any

from soporte.accounts.models import Agent, Role
from soporte.escalation.models import Page, PageNotification
from soporte.tickets.models import Ticket


def latest_page(ticket: Ticket) -> Page | None:
    """The ticket's most recent page (open or not)."""
    return Page.objects.filter(ticket=ticket).select_related("acknowledged_by").first()


def page_context(ticket: Ticket, agent: Agent) -> dict[str, Any]:
    """``page``, its ``page_notifications`` (oldest first) and whether ``agent`` may
    acknowledge it, for a ticket's page panel."""
    page = latest_page(ticket)
    told = (
        list(PageNotification.objects.filter(page=page).select_related("agent", "message"))
        if page is not None
        else []
    )
    allowed = page is not None and may_acknowledge(page, agent)
    return {"page": page, "page_notifications": told, "may_acknowledge": allowed}


ACKNOWLEDGERS = frozenset({Role.LEAD, Role.FOUNDER, Role.CTO, Role.ADMIN})
"""Roles that may acknowledge any page; others only a page that went to them or their rotation's."""


def may_acknowledge(page: Page, agent: Agent) -> bool:
    """The people the page went to, its rotation's members, leads, the founder, the CTO and
    admins (READING §9)."""
    if agent.role in ACKNOWLEDGERS:
        return True
    if PageNotification.objects.filter(page=page, agent=agent).exists():
        return True
    return (
        page.rotation_id is not None
        and agent.rotation_places.filter(rotation_id=page.rotation_id).exists()
    )


def paged_secondaries(page: Page) -> list[Agent]:
    """Who has been paged as the secondary for ``page`` (acknowledging no longer stops them)."""
    told = PageNotification.objects.filter(page=page, target="secondary", agent__isnull=False)
    return [n.agent for n in told.select_related("agent") if n.agent is not None]
