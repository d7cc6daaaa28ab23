"""A notification reads in the language of the session that shows it, not the language its
agent had when it was written (a lead with a Spanish profile browsing in English)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from console_helpers import client_for, open_ticket
from django.utils import timezone

from soporte.notify import services as notify
from soporte.notify.models import Notification

pytestmark = pytest.mark.django_db


def notifications(world: Any, name: str, lang: str) -> str:
    client = client_for(world, name)
    client.cookies["soporte_language"] = lang
    html = client.get("/console/notifications").content.decode()
    return html[html.index('<ul class="notifications">') :].split("</ul>")[0]


def test_an_at_risk_notice_reads_in_the_session_s_language(world: Any) -> None:
    lead = world.agents["lead1"]
    assert lead.locale.startswith("es")
    ticket = open_ticket(
        world, plan="pro", severity="P1", ago=timedelta(days=9), now=timezone.now()
    )
    clock = ticket.clocks.get(kind="first_response")
    notify.tell_leads(ticket=ticket, event="sla_at_risk", clock=clock, now=ticket.opened_at)
    english = notifications(world, "lead1", "en")
    assert f"Ticket #{ticket.pk} (P1, T1) is at risk" in english
    assert "en riesgo" not in english
    assert f"El ticket #{ticket.pk} (P1, T1) está en riesgo" in notifications(
        world, "lead1", "es-mx"
    )


def test_a_nobody_on_call_notice_reads_in_the_session_s_language(world: Any) -> None:
    ticket = open_ticket(world, plan="pro", severity="P0", now=timezone.now())
    notify.tell_leads_nobody_on_call(ticket=ticket, page=1, step="primary", now=ticket.opened_at)
    assert f"Nobody on call to page for ticket #{ticket.pk}" in notifications(world, "lead2", "en")
    assert "No hay nadie de guardia" in notifications(world, "lead2", "es-mx")


def test_a_notice_stored_before_titles_per_language_shows_its_one_title(world: Any) -> None:
    ticket = open_ticket(world, plan="pro", severity="P2", now=timezone.now())
    Notification.objects.create(
        agent=world.agents["lead1"],
        ticket=ticket,
        event="page_failed",
        key="old:1",
        title="Título de antes",
        created_at=ticket.opened_at,
    )
    assert "Título de antes" in notifications(world, "lead1", "en")
