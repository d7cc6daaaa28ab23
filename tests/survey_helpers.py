"""Helpers for the survey tests: a solved ticket (its survey sent), the resolution email's
links, and a clock held at a fixed instant for the pages (which read the real clock)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.test import Client

from soporte.jobs.models import OutboxMessage
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake

OPENED = datetime.fromisoformat("2026-12-01T10:00:00-06:00")  # a Tuesday, business hours
SOLVED = OPENED + timedelta(hours=2)


def solved(
    world: Any,
    plan: str = "pro",
    *,
    by: str = "t1",
    at: datetime = SOLVED,
    opened: datetime = OPENED,
    channel: str = "portal",
    requester: Any = None,
) -> Any:
    """A ticket of ``plan``'s contact (or ``requester``) opened at ``opened``, answered an hour
    later, then solved by agent ``by`` (or by the requester, ``by="requester"``) at ``at``."""
    contact = requester or world.contacts[plan]
    ticket = tickets.open_ticket(
        requester=contact,
        channel=channel,
        severity="P2",
        subject="No aparecen mis ventas",
        body="Desde ayer no veo las ventas de la máquina 12.",
        intake=Intake(),
        received_at=opened,
        now=opened,
    )
    replied = opened + timedelta(hours=1)
    tickets.reply(ticket=ticket, author=world.agents["t1"], body="Revisando.", at=replied)
    actor = contact if by == "requester" else world.agents[by]
    return tickets.change_status(ticket=ticket, status="solved", actor=actor, at=at)


def solved_email(ticket: Any) -> dict[str, Any]:
    """The payload of the solved notice's email (the ticket's last email)."""
    sent = OutboxMessage.objects.filter(transport="email")
    rows = [o.payload for o in sent.order_by("pk") if f"[#{ticket.pk}]" in o.payload["subject"]]
    return rows[-1]


def survey_links(text: str) -> dict[str, str]:
    """The survey links in an email part, by answer, as paths on the desk."""
    base = re.escape(django_settings.PUBLIC_BASE_URL)
    found = re.findall(base + r"(/csat/[^\s\"<>?]+\?answer=(up|neutral|down))", text)
    return {answer: path.replace("&amp;", "&") for path, answer in found}


def english(client: Client) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
