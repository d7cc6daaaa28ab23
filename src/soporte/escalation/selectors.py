"""Reading pages for the console and the API."""

from __future__ import annotations

from typing import Any

from soporte.escalation.models import Page, PageNotification
from soporte.tickets.models import Ticket


def latest_page(ticket: Ticket) -> Page | None:
    """The ticket's most recent page (open or not)."""
    return Page.objects.filter(ticket=ticket).select_related("acknowledged_by").first()


def page_context(ticket: Ticket) -> dict[str, Any]:
    """``page`` and its ``page_notifications`` (oldest first) for a ticket's page panel."""
    page = latest_page(ticket)
    told = (
        list(PageNotification.objects.filter(page=page).select_related("agent", "message"))
        if page is not None
        else []
    )
    return {"page": page, "page_notifications": told}
