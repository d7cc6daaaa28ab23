"""The long-poll: held until a message arrives for its chat, woken by the process's one relay
thread (which reads only the tickets someone waits for), or answered empty when time is up."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from soporte.channels.chat import relay
from soporte.channels.chat.domain.identity import signature
from soporte.tickets import services as tickets
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def _open_chat(world: Any, client: Client, settings: Any) -> tuple[str, int]:
    settings.SOPORTE_CHAT_SECRET = "relay-secret"
    contact = world.contacts["pro"]
    org = str(contact.organisation_id)
    fields = {
        "email": contact.email,
        "organisation": org,
        "signature": signature("relay-secret", contact.email, org),
    }
    token = client.post(
        "/chat/api/start", json.dumps(fields), content_type="application/json"
    ).json()["token"]
    client.post(
        "/chat/api/messages",
        json.dumps({"client_id": "c-1", "body": "Hola"}),
        content_type="application/json",
        headers={"X-Chat-Token": token},
    )
    last = max(
        m["id"]
        for m in client.get("/chat/api/messages?wait=0", headers={"X-Chat-Token": token}).json()[
            "messages"
        ]
    )
    return token, last


def test_a_waiting_long_poll_wakes_when_the_agent_replies(world: Any, settings: Any) -> None:
    client = Client()
    token, last = _open_chat(world, client, settings)
    ticket = Ticket.objects.get()
    answer: dict[str, Any] = {}

    def wait() -> None:
        started = time.monotonic()
        got = Client().get(
            f"/chat/api/messages?after={last}&wait=20", headers={"X-Chat-Token": token}
        )
        answer.update(got.json(), took=time.monotonic() - started)
        connection.close()

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.5)  # the poll is now held
    assert waiter.is_alive()
    assert "messages" not in answer
    tickets.reply(
        ticket=ticket,
        author=world.agents["t1"],
        body="Aquí estoy",
        at=ticket.opened_at,
    )
    waiter.join(timeout=10)
    assert not waiter.is_alive()
    assert [m["text"] for m in answer["messages"]] == ["Aquí estoy"]
    assert answer["took"] < 10  # woken, not timed out at 20 s


def test_a_long_poll_with_nothing_new_answers_empty_when_time_is_up(
    world: Any, settings: Any
) -> None:
    client = Client()
    token, last = _open_chat(world, client, settings)
    started = time.monotonic()
    got = client.get(f"/chat/api/messages?after={last}&wait=0.6", headers={"X-Chat-Token": token})
    assert got.json() == {"messages": [], "ended": False, "survey": None}
    assert time.monotonic() - started >= 0.6


def test_the_relay_wakes_only_the_waiters_of_the_ticket_that_got_a_message(
    world: Any, settings: Any
) -> None:
    client = Client()
    _open_chat(world, client, settings)
    ticket = Ticket.objects.get()
    other = relay.Relay(interval=3600)  # polled by hand here
    with other.waiting(ticket.pk) as mine, other.waiting(ticket.pk + 1000) as theirs:
        other.poll()  # what was there before the waiters may wake them once
        mine.clear()
        theirs.clear()
        other.poll()
        assert not mine.is_set()
        assert not theirs.is_set()
        tickets.reply(ticket=ticket, author=world.agents["t1"], body="ok", at=ticket.opened_at)
        other.poll()
        assert mine.is_set()
        assert not theirs.is_set()
    reads = other.reads
    other.poll()  # nobody waits: no read
    assert other.reads == reads
