"""The reasons the desk writes itself on the timeline (a clock recomputed after a severity or
plan change, T1 → T2 after the back-and-forths) read in the page's language, like the rest of
the timeline; a reason an agent typed is shown as typed."""

from __future__ import annotations

from typing import Any

import pytest
from console_helpers import client_for, open_ticket
from django.utils import timezone

from soporte.tickets import services

pytestmark = pytest.mark.django_db


def timeline(world: Any, ticket: Any, lang: str) -> str:
    client = client_for(world, "lead1")
    client.cookies["soporte_language"] = lang
    html = client.get(f"/console/tickets/{ticket.pk}").content.decode()
    return html[html.index('<ol class="timeline">') :].split("</ol>")[0]


def test_a_recomputed_clock_says_why_in_spanish_and_english(world: Any) -> None:
    ticket = open_ticket(world, plan="pro", severity="P2", now=timezone.now())
    lead = world.agents["lead1"]
    services.change_severity(
        ticket=ticket, severity="P1", actor=lead, reason="todo el país", at=timezone.now()
    )
    services.change_plan(
        ticket=ticket, plan="enterprise", actor=lead, reason="upgrade", at=timezone.now()
    )
    spanish = timeline(world, ticket, "es-mx")
    assert "Motivo: severidad P2 → P1" in spanish
    assert "Motivo: plan Pro → Enterprise" in spanish
    assert "Motivo: todo el país" in spanish
    assert "UTC-06:00" not in spanish  # due times read in the desk's zone, "CST"
    english = timeline(world, ticket, "en")
    assert "Reason: severity P2 → P1" in english
    assert "Reason: plan Pro → Enterprise" in english


def test_an_automatic_escalation_says_why_in_spanish(world: Any) -> None:
    ticket = open_ticket(world, plan="pro", severity="P2", now=timezone.now())
    customer, t1 = world.contacts["pro"], world.agents["t1"]
    for n in range(2):
        services.reply(ticket=ticket, author=t1, body=f"Try step {n}", at=timezone.now())
        services.reply(ticket=ticket, author=customer, body="Still broken", at=timezone.now())
    assert type(ticket).objects.get(pk=ticket.pk).tier == "T2"
    assert "Motivo: 2 idas y vueltas en T1 sin solución" in timeline(world, ticket, "es-mx")
    assert "Reason: 2 back-and-forths at T1 without a solution" in timeline(world, ticket, "en")
