"""The similar-ticket index: kept in step with new tickets, windowed, earlier-only, scoped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from recurrence_helpers import START, open_at

from soporte.feedback import recurrence_selectors
from soporte.feedback.models import TicketWording
from soporte.tickets import bulk
from soporte.tickets.bulk import TicketSpec

pytestmark = pytest.mark.django_db


def numbers(found: list[recurrence_selectors.Similar]) -> list[int]:
    return [s.ticket.pk for s in found]


def test_opening_a_ticket_indexes_its_subject_and_first_message(world: Any) -> None:
    ticket = open_at(
        world, "Máquina SIN telemetría", "<p>Desde el lunes no envía datos</p>", days=0
    )
    entry = TicketWording.objects.get(ticket=ticket)
    assert entry.opened_at == ticket.opened_at
    assert {"maquin", "telemetri", "lun", "envi", "dat"} <= set(entry.terms.split())
    assert entry.words.startswith("maquina sin telemetria")


def test_the_bulk_loader_indexes_every_ticket(world: Any) -> None:
    specs = [
        TicketSpec(
            requester=world.contacts["pro"],
            channel="email",
            severity="P3",
            subject=f"Lector de tarjetas {n}",
            body="rechaza tarjetas",
            received_at=START + timedelta(minutes=n),
        )
        for n in range(7)
    ]
    loaded = bulk.load(specs, batch=3, now=START + timedelta(days=1))
    assert set(TicketWording.objects.values_list("ticket_id", flat=True)) == set(loaded)


def test_suggestions_rank_the_same_problem_first(world: Any) -> None:
    sales = open_at(world, "No me llegan las ventas", "Desde ayer no veo las ventas", days=0)
    reader = open_at(world, "El lector de tarjetas no enciende", days=1)
    invoice = open_at(world, "No puedo descargar la factura", days=2, plan="pro")
    open_at(world, "Ventas de la máquina de café duplicadas en el reporte", days=3)
    new = open_at(world, "no aparecen mis VENTAS desde ayer", days=10)
    agent = world.agents["t1"].user
    found = recurrence_selectors.similar_tickets(
        agent, new, limit=5, now=START + timedelta(days=10)
    )
    assert numbers(found)[0] == sales.pk
    assert reader.pk not in numbers(found)
    assert invoice.pk not in numbers(found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert all(0 < s.score <= 1 for s in found)


def test_typos_and_english(world: Any) -> None:
    card = open_at(world, "The card reader declines every card", days=0)
    open_at(world, "The invoice PDF does not download", days=0.5)
    new = open_at(world, "card readr declining all cards", days=1)
    found = recurrence_selectors.similar_tickets(
        world.agents["t2"].user, new, limit=3, now=START + timedelta(days=1)
    )
    assert numbers(found)[:1] == [card.pk]


def test_only_earlier_tickets_of_the_last_180_days(world: Any) -> None:
    old = open_at(world, "El billetero se atasca", days=0)
    recent = open_at(world, "El billetero se atasca con billetes de 200", days=100)
    new = open_at(world, "se atasca el billetero", days=200)
    later = open_at(world, "billetero atascado otra vez", days=201)
    agent = world.agents["t1"].user
    now = START + timedelta(days=201)
    assert numbers(recurrence_selectors.similar_tickets(agent, new, limit=5, now=now)) == [
        recent.pk
    ]
    assert old.pk not in numbers(
        recurrence_selectors.similar_tickets(agent, later, limit=5, now=now)
    )
    assert numbers(recurrence_selectors.similar_tickets(agent, recent, limit=5, now=now)) == []
    assert numbers(recurrence_selectors.similar_tickets(agent, old, limit=5, now=now)) == []


def test_the_limit_and_customers(world: Any) -> None:
    for n in range(6):
        open_at(world, f"El monedero no acepta monedas {n}", days=n / 10)
    new = open_at(world, "monedero rechaza monedas", days=1)
    now = START + timedelta(days=1)
    assert (
        len(recurrence_selectors.similar_tickets(world.agents["t1"].user, new, limit=4, now=now))
        == 4
    )
    assert (
        recurrence_selectors.similar_tickets(world.contacts["starter"].user, new, limit=4, now=now)
        == []
    )


def test_a_ticket_missing_from_the_index_still_gets_suggestions(world: Any) -> None:
    earlier = open_at(world, "El planograma no se guarda", days=0)
    new = open_at(world, "no guarda el planograma", days=1)
    TicketWording.objects.filter(ticket=new).delete()
    found = recurrence_selectors.similar_tickets(
        world.agents["t1"].user, new, limit=5, now=START + timedelta(days=1)
    )
    assert numbers(found) == [earlier.pk]
