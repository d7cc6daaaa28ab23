"""The console's Chat view: open chats, whoever has waited longest first, the chat clock, and
the long-poll that brings a chat ticket's new messages to its page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soporte.channels.chat import services
from soporte.channels.chat.models import Conversation
from soporte.tickets import services as tickets
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

STARTED = datetime.fromisoformat("2026-12-01T10:00:00-06:00")


def chat(world: Any, plan: str, minutes: int) -> Conversation:
    at = STARTED + timedelta(minutes=minutes)
    contact = world.contacts[plan]
    started = services.start(email=contact.email, now=at)  # unsigned: fine for the list
    services.send(conversation=started.conversation, client_id="1", body=f"Hola {plan}", now=at)
    return Conversation.objects.get(pk=started.conversation.pk)


def signed_in(world: Any, name: str = "t1") -> Client:
    client = Client()
    client.force_login(world.agents[name].user)
    return client


def test_open_chats_list_whoever_waited_longest_first(world: Any) -> None:
    late = chat(world, "pro", minutes=10)
    early = chat(world, "starter", minutes=0)
    answered = chat(world, "enterprise", minutes=5)
    assert answered.ticket is not None
    tickets.reply(
        ticket=answered.ticket,
        author=world.agents["t1"],
        body="Listo",
        at=STARTED + timedelta(minutes=6),
    )
    page = signed_in(world).get("/console/chat?lang=en").content.decode()
    order = [page.index(f'data-ticket="{c.ticket_id}"') for c in (early, late, answered)]
    assert order == sorted(order)
    assert "identity not verified" in page
    assert "Met" in page  # the answered chat's clock: fulfilled by the first human reply


def test_the_chat_view_refreshes_its_rows_with_htmx(world: Any) -> None:
    chat(world, "pro", minutes=0)
    rows = signed_in(world).get("/console/chat", headers={"HX-Request": "true"})
    body = rows.content.decode()
    assert body.startswith('<tbody id="chat-rows"')
    assert "Hola pro" in body


def test_a_chat_tickets_page_waits_for_new_messages(world: Any) -> None:
    conversation = chat(world, "pro", minutes=0)
    ticket = Ticket.objects.get(pk=conversation.ticket_id)
    client = signed_in(world)
    page = client.get(f"/console/tickets/{ticket.pk}").content.decode()
    assert f'data-chat-wait="/console/chat/{ticket.pk}/wait"' in page
    assert "console/chat.js" in page
    last = max(ticket.messages.values_list("pk", flat=True))
    services.send(conversation=conversation, client_id="2", body="¿Hola?", now=timezone.now())
    found = client.get(f"/console/chat/{ticket.pk}/wait?after={last}").json()["messages"]
    assert len(found) == 1
    assert found[0] > last


def test_only_agents_open_the_chat_view(world: Any) -> None:
    client = Client()
    client.force_login(world.contacts["pro"].user)
    assert client.get("/console/chat").status_code == 403
