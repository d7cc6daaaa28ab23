"""``updated_at`` moves on every change to a ticket, and the list filters by it
(``updated_since``): what an integration that syncs by it relies on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soporte.accounts.services import create_token
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

OPENED = datetime.fromisoformat("2026-12-01T10:00:00-06:00")
CHANGED = datetime.fromisoformat("2026-12-01T11:30:00-06:00")


def open_(world: Any, subject: str = "Map is blank") -> Ticket:
    return services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P2",
        subject=subject,
        body="Since the update.",
        intake=Intake(),
        received_at=OPENED,
        now=timezone.now(),
    )


def api(world: Any) -> Client:
    token = create_token(agent=world.agents["admin"], name="sync")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def updated_at(world: Any, ticket: Ticket) -> datetime:
    response = api(world).get(f"/api/tickets/{ticket.pk}")
    assert response.status_code == 200, response.content
    return datetime.fromisoformat(response.json()["updated_at"])


Change = Callable[[Any, Ticket], Any]
CHANGES: dict[str, Change] = {
    "reply": lambda w, t: services.reply(ticket=t, author=w.agents["t1"], body="On it", at=CHANGED),
    "note": lambda w, t: services.reply(
        ticket=t, author=w.agents["t1"], body="DB?", public=False, at=CHANGED
    ),
    "customer reply": lambda w, t: services.reply(
        ticket=t, author=w.contacts["pro"], body="Any news?", at=CHANGED
    ),
    "severity": lambda w, t: services.change_severity(
        ticket=t, severity="P1", actor=w.agents["t1"], reason="worse", at=CHANGED
    ),
    "status": lambda w, t: services.change_status(
        ticket=t, status="solved", actor=w.agents["t1"], at=CHANGED
    ),
    "assignment": lambda w, t: services.assign(
        ticket=t, assignee=w.agents["t1"], actor=w.agents["t1"], at=CHANGED
    ),
    "escalation": lambda w, t: services.escalate(
        ticket=t, actor=w.agents["t1"], reason="needs T2", at=CHANGED
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_moves_updated_at_to_its_instant(world: Any, change: str) -> None:
    ticket = open_(world)
    before = updated_at(world, ticket)

    CHANGES[change](world, ticket)

    assert updated_at(world, ticket) == CHANGED != before


def test_the_list_filters_by_updated_since(world: Any) -> None:
    quiet, busy = open_(world, "Quiet"), open_(world, "Busy")
    services.reply(ticket=quiet, author=world.agents["t1"], body="Seen", at=CHANGED)
    services.reply(
        ticket=busy, author=world.agents["t1"], body="Seen", at=CHANGED + timedelta(hours=1)
    )

    def listed(since: str) -> list[int]:
        response = api(world).get("/api/tickets", {"updated_since": since, "status": "pending"})
        assert response.status_code == 200, response.content
        return sorted(item["id"] for item in response.json()["items"])

    assert listed("2026-12-01T11:30:00-06:00") == sorted([quiet.pk, busy.pk])  # at it: included
    assert listed("2026-12-01T17:30:01Z") == [busy.pk]
    assert listed("2026-12-01T12:30:00.000001-06:00") == []


@pytest.mark.parametrize("value", ["yesterday", "2026-12-01T10:00:00", "2026-13-01T00:00:00Z"])
def test_a_bad_updated_since_is_422_naming_it(world: Any, value: str) -> None:
    response = api(world).get("/api/tickets", {"updated_since": value})

    assert response.status_code == 422, response.content
    assert [(e["field"], e["source"]) for e in response.json()["detail"]] == [
        ("updated_since", "query")
    ]


def test_updated_since_is_documented(world: Any) -> None:
    document = Client().get("/api/openapi.json").json()
    parameters = document["paths"]["/api/tickets"]["get"]["parameters"]
    [since] = [p for p in parameters if p["name"] == "updated_since"]
    assert since["in"] == "query"
    assert "updated_at" in since["description"]
    assert {"type": "string", "format": "date-time"} in since["schema"]["anyOf"]
