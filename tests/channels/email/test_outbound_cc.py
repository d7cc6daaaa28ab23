"""Agents copy addresses on a ticket (service, console reply form, API); every public email
of the ticket then goes ``Cc:`` to them, and the ticket page shows them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils.translation import override

from soporte.accounts.services import create_token
from soporte.jobs.models import OutboxMessage
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, Ticket
from soporte.tickets.selectors import cc_addresses

pytestmark = pytest.mark.django_db

OPENED = datetime.fromisoformat("2026-12-01T10:00:00-06:00")
LATER = OPENED + timedelta(hours=1)


@pytest.fixture(autouse=True)
def desk(settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = "TrackMyVend <soporte@trackmyvend.example>"


def open_(world: Any) -> Ticket:
    return services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P2",
        subject="La impresora no imprime",
        body="No imprime.",
        intake=Intake(),
        received_at=OPENED,
        now=OPENED,
    )


def test_a_cc_is_kept_once_lower_cased_on_the_timeline_and_removable(world: Any) -> None:
    ticket, agent = open_(world), world.agents["t1"]
    services.add_cc(ticket=ticket, address=" Jefa@Pro.example ", actor=agent, at=LATER)
    services.add_cc(ticket=ticket, address="jefa@pro.example", actor=agent, at=LATER)
    services.add_cc(ticket=ticket, address="it@pro.example", actor=agent, at=LATER)

    assert cc_addresses(ticket) == ["jefa@pro.example", "it@pro.example"]
    added = ticket.timeline.filter(kind=EventKind.CC_ADDED)
    assert [e.data["address"] for e in added] == ["jefa@pro.example", "it@pro.example"]
    assert services.remove_cc(ticket=ticket, address="JEFA@pro.example", actor=agent, at=LATER)
    assert not services.remove_cc(ticket=ticket, address="nadie@pro.example", actor=agent, at=LATER)
    assert cc_addresses(ticket) == ["it@pro.example"]
    assert ticket.timeline.filter(kind=EventKind.CC_REMOVED).count() == 1


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("not an address", "is not an email address"),
        ("ana@pro.example", "is the requester"),
        ("soporte@trackmyvend.example", "the desk's own address"),
    ],
)
def test_a_cc_that_is_not_an_address_the_requester_or_the_desk_is_refused_by_name(
    world: Any, address: str, problem: str
) -> None:
    ticket = open_(world)
    with override("en"), pytest.raises(services.TicketError, match=problem):
        services.add_cc(ticket=ticket, address=address, actor=world.agents["t1"], at=LATER)
    assert cc_addresses(ticket) == []


def test_a_tickets_own_reply_address_cannot_be_copied(world: Any) -> None:
    from soporte.channels.email.secrets import ticket_reply_address

    ticket = open_(world)
    with pytest.raises(services.TicketError):
        services.add_cc(
            ticket=ticket,
            address=ticket_reply_address(ticket.pk),
            actor=world.agents["t1"],
            at=LATER,
        )


def test_a_ticket_takes_at_most_max_ccs(world: Any) -> None:
    ticket, agent = open_(world), world.agents["t1"]
    for i in range(services.MAX_CCS):
        services.add_cc(ticket=ticket, address=f"c{i}@pro.example", actor=agent, at=LATER)
    with pytest.raises(services.TicketError, match=str(services.MAX_CCS)):
        services.add_cc(ticket=ticket, address="one-more@pro.example", actor=agent, at=LATER)


def sent_cc(ticket: Ticket) -> list[list[str]]:
    rows = OutboxMessage.objects.filter(idempotency_key__startswith="message:")
    return [m.payload.get("cc", []) for m in rows.order_by("pk")]


def test_the_console_reply_form_copies_addresses_and_the_page_shows_them(world: Any) -> None:
    ticket = open_(world)
    console = Client()
    console.force_login(world.agents["t1"].user)
    url = f"/console/tickets/{ticket.pk}"

    posted = console.post(
        f"{url}/reply",
        {"body": "Copio a tu jefa.", "kind": "public", "cc": "jefa@pro.example; IT@pro.example"},
    )
    assert posted.status_code == 302
    assert sent_cc(ticket) == [["jefa@pro.example", "it@pro.example"]]
    page = console.get(url).content.decode()
    assert 'href="mailto:jefa@pro.example"' in page
    assert f'action="/console/tickets/{ticket.pk}/cc/remove"' in page

    refused = console.post(f"{url}/reply", {"body": "Otra.", "kind": "public", "cc": "jefa@"})
    assert refused.status_code == 400
    assert "“jefa@”" in refused.content.decode()  # the wrong address named
    assert len(sent_cc(ticket)) == 1  # nothing sent, nothing half-done

    removed = console.post(f"{url}/cc/remove", {"address": "jefa@pro.example"})
    assert removed.status_code == 302
    assert cc_addresses(ticket) == ["it@pro.example"]


def test_the_api_copies_addresses_for_agents_only(world: Any) -> None:
    ticket = open_(world)
    token = create_token(agent=world.agents["t1"], name="test")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answered = api.post(
        f"/api/tickets/{ticket.pk}/messages",
        {"body": "Por la API.", "cc": ["jefa@pro.example"]},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.content
    assert sent_cc(ticket) == [["jefa@pro.example"]]

    refused = api.post(
        f"/api/tickets/{ticket.pk}/messages",
        {"body": "Otra.", "cc": ["ana@pro.example"]},
        content_type="application/json",
    )
    assert refused.status_code == 409, refused.content
    assert "ana@pro.example" in refused.content.decode()
