"""The console on a WhatsApp ticket: the 24-hour window's notice, the closed-window choice
(template or email), and each reply's delivery state beside it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from whatsapp_helpers import payload, post, status, text

from soporte.channels.whatsapp.models import WhatsAppSent, WhatsAppTicket
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


@pytest.fixture
def ticket(world: Any, whatsapp: Any) -> Ticket:
    kate = world.contacts["enterprise"]
    kate.phone = "8126982507"
    kate.save(update_fields=["phone"])
    response = post(payload(text("wamid.C1", "Broken", at=AT)), now=AT + timedelta(seconds=1))
    return Ticket.objects.get(pk=response.json()["messages"][0]["ticket"])


def page(world: Any, ticket: Ticket, at: datetime) -> str:
    client = Client()
    client.force_login(world.agents["t1"].user)
    with time_machine.travel(at, tick=False):
        response = client.get(f"/console/tickets/{ticket.pk}?lang=en", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_window_is_open_and_each_reply_shows_its_delivery(world: Any, ticket: Ticket) -> None:
    reply = tickets.reply(
        ticket=ticket, author=world.agents["t1"], body="On it", at=AT + timedelta(minutes=2)
    )
    WhatsAppSent.objects.create(
        wamid="wamid.OUT",
        outbox_key=f"whatsapp:message:{reply.pk}:0",
        ticket=ticket,
        message=reply,
        kind="text",
        sent_at=AT,
    )
    post(
        payload(
            statuses=[status("wamid.OUT", "read", at=AT), status("wamid.OUT", "delivered", at=AT)]
        )
    )

    html = page(world, ticket, AT + timedelta(hours=1))

    assert "WhatsApp window open" in html
    assert 'data-whatsapp="read"' in html
    assert 'data-whatsapp="queued"' in html  # the acknowledgement, not yet sent


def test_a_closed_window_offers_a_template_or_email(world: Any, ticket: Ticket) -> None:
    html = page(world, ticket, AT + timedelta(days=1))

    assert "WhatsApp window closed" in html
    assert "Your reply goes as the approved template “soporte_respuesta”." in html
    assert 'value="template:soporte_seguimiento"' in html
    assert 'value="email"' in html


def test_the_agent_chooses_email_for_a_closed_window(world: Any, ticket: Ticket) -> None:
    client = Client()
    client.force_login(world.agents["t1"].user)

    response = client.post(f"/console/tickets/{ticket.pk}/whatsapp", {"choice": "email"})
    wrong = client.post(f"/console/tickets/{ticket.pk}/whatsapp", {"choice": "template:nope"})

    assert response.status_code == wrong.status_code == 302
    assert WhatsAppTicket.objects.get(ticket=ticket).closed_window_route == "email"
    assert "Your reply goes by email to ana@enterprise.example." in page(
        world, ticket, AT + timedelta(days=2)
    )


def test_an_email_ticket_shows_no_whatsapp_notice(world: Any, whatsapp: Any) -> None:
    other = tickets.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P2",
        subject="s",
        body="b",
        intake=Intake(),
        now=AT,
    )
    assert "whatsapp-window" not in page(world, other, AT)


def test_the_demo_desk_has_a_whatsapp_conversation(db: Any) -> None:
    from soporte.demo import world as demo

    demo.seed(now=AT)

    [conversation, unknown] = WhatsAppTicket.objects.select_related("ticket").order_by("ticket_id")
    bodies = [m.body for m in conversation.ticket.messages.filter(author_kind="customer")]
    assert "máquina 14" in bodies[0]
    assert "https://www.google.com/maps/search/" in bodies[1]
    assert "Listo" in bodies[2]
    assert conversation.ticket.requester.email == "luis@cafeexpress.mx"
    assert unknown.ticket.organisation.unidentified
