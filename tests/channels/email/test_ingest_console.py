"""The console side of inbound email: the unidentified senders' queue and its link action, a
bounce on the timeline and beside the requester, the quoted text folded."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from ingest_helpers import RECEIVED, deliver, raw

from soporte.channels.email.domain.message import Bounce, parse
from soporte.channels.email.ingest import ingest_mail
from soporte.tickets.models import AuthorKind, Ticket

pytestmark = pytest.mark.django_db

ENGLISH = {"Accept-Language": "en"}


def signed_in(world: Any, name: str = "t1") -> Client:
    client = Client(headers=ENGLISH)
    client.force_login(world.agents[name].user)
    return client


def test_the_queue_lists_unidentified_senders_and_the_ticket_links_them(world: Any) -> None:
    unknown = deliver(raw(sender="Pat <pat@nuevo.example>", subject="Quiero una demo")).ticket
    known = deliver(raw(subject="Soy cliente")).ticket
    client = signed_in(world)

    page = client.get("/console/unidentified").content.decode()

    assert f'data-ticket="{unknown}"' in page
    assert f'data-ticket="{known}"' not in page
    assert "pat@nuevo.example" in page
    ticket_page = client.get(f"/console/tickets/{unknown}").content.decode()
    assert "Link to the organisation" in ticket_page
    assert (
        "Link to the organisation" not in client.get(f"/console/tickets/{known}").content.decode()
    )

    pro = world.orgs["pro"]
    response = client.post(
        f"/console/tickets/{unknown}/link", {"organisation": str(pro.pk), "add_domain": "on"}
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=unknown)
    assert (ticket.organisation, ticket.plan) == (pro, "pro")
    after = client.get(f"/console/tickets/{unknown}").content.decode()
    assert "The sender is now a contact of Pro Vending." in after
    assert "Sender linked: organisation Unidentified senders → Pro Vending" in after
    assert f'data-ticket="{unknown}"' not in client.get("/console/unidentified").content.decode()


def test_linking_to_a_public_mail_domain_is_refused_and_nothing_moves(world: Any) -> None:
    unknown = deliver(raw(sender="pat@gmail.com")).ticket
    client = signed_in(world)

    client.post(
        f"/console/tickets/{unknown}/link",
        {"organisation": str(world.orgs["pro"].pk), "add_domain": "on"},
    )

    assert Ticket.objects.get(pk=unknown).organisation.unidentified
    page = client.get(f"/console/tickets/{unknown}").content.decode()
    assert "public mailbox provider" in page


def test_a_bounce_shows_on_the_timeline_and_beside_the_requester(world: Any) -> None:
    ticket = Ticket.objects.get(pk=deliver(raw()).ticket)
    ack = ticket.messages.get(author_kind=AuthorKind.SYSTEM)
    report = replace(
        parse(raw(sender="MAILER-DAEMON@mx.example")),
        automatic="bounce",
        bounce=Bounce("ana@starter.example", "550 mailbox full", ack.email_message_id or ""),
    )
    at = RECEIVED + timedelta(minutes=1)
    ingest_mail(report, received_at=at, now=at)

    page = signed_in(world).get(f"/console/tickets/{ticket.pk}").content.decode()

    assert "Your reply to ana@starter.example bounced: 550 mailbox full" in page
    assert "address bouncing" in page


def test_the_quoted_text_is_folded_in_the_console_and_the_portal(world: Any) -> None:
    mail = replace(parse(raw(body="Listo.\n\n> Antes")), reply_text="Listo.", quoted_text="> Antes")
    number = ingest_mail(mail, received_at=RECEIVED, now=RECEIVED).ticket
    portal = Client(headers=ENGLISH)
    portal.force_login(world.contacts["starter"].user)

    for page in (
        signed_in(world).get(f"/console/tickets/{number}").content.decode(),
        portal.get(f"/portal/tickets/{number}").content.decode(),
    ):
        assert '<details class="quoted"><summary>Show quoted text</summary>' in page
        assert "&gt; Antes" in page
