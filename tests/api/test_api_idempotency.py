"""Idempotency keys are scoped (READING.md §9): an ``external_id`` belongs to the caller's
organisation (contacts) or account (agents and integrations), and a repeat never answers with a
ticket its sender may not see."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Desk
from django.test import Client

from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

SECRET = "Café Express: the vault code is 4411"


def post(client: Client, body: dict[str, Any], **extra: Any) -> Any:
    return client.post("/api/tickets", body, content_type="application/json", **extra)


def ticket_body(external_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "subject": SECRET,
        "body": "Nothing loads since 9:00",
        "severity": "P2",
        "external_id": external_id,
        **fields,
    }


def test_a_customer_never_reads_another_organisations_ticket_by_its_key(desk: Desk) -> None:
    theirs = post(desk.client("contact_a"), ticket_body("client-42"))
    mine = post(desk.client("contact_b"), ticket_body("client-42", subject="Ours"))

    assert theirs.status_code == mine.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert mine.json()["organisation"]["id"] == str(desk.world.orgs["pro"].pk)
    assert mine.json()["subject"] == "Ours"
    assert SECRET not in mine.content.decode()


def test_a_repeat_in_the_callers_own_scope_returns_the_same_ticket(desk: Desk) -> None:
    first = post(desk.client("contact_a"), ticket_body("client-7"))
    again = post(desk.client("contact_a"), ticket_body("client-7"))

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Ticket.objects.filter(subject=SECRET).count() == 1


def test_an_agent_never_reads_a_ticket_opened_under_another_accounts_key(desk: Desk) -> None:
    on_behalf = {"requester_email": "ana@starter.example", "severity": "P0", "channel": "phone"}
    t3 = post(desk.client("t3"), ticket_body("wamid.9", **on_behalf))
    t1 = post(
        desk.client("t1"),
        ticket_body("wamid.9", subject="Mine", requester_email="ana@starter.example"),
    )

    assert t3.status_code == t1.status_code == 201
    assert t1.json()["id"] != t3.json()["id"]
    assert (t1.json()["subject"], t1.json()["tier"]) == ("Mine", "T1")


def test_a_repeat_of_a_ticket_the_caller_can_no_longer_see_is_409_with_nothing_of_it(
    desk: Desk,
) -> None:
    # Agents read every ticket, so a caller loses sight of a ticket it opened when the ticket
    # moves to another organisation (an agent relinking a misfiled ticket, READING.md §9).
    client = desk.client("contact_a")
    body = ticket_body("wamid.77")
    first = post(client, body)
    ticket = Ticket.objects.get(pk=first.json()["id"])
    Ticket.objects.filter(pk=ticket.pk).update(organisation=desk.world.orgs["enterprise"])

    again = post(client, body)

    assert first.status_code == 201
    assert client.get(f"/api/tickets/{ticket.pk}").status_code == 404
    assert again.status_code == 409
    assert "wamid.77" in again.json()["detail"]
    assert SECRET not in again.content.decode()
    assert str(ticket.pk) not in again.content.decode()
