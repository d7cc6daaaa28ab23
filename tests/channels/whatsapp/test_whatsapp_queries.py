"""What one WhatsApp message costs the database, pinned (the webhook's p99 on PostgreSQL is
round trips: every statement, savepoints included, is one)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from whatsapp_helpers import payload, post, text

from soporte.channels.whatsapp import ingest
from soporte.channels.whatsapp.models import WhatsAppSender, WhatsAppTicket
from soporte.jobs.models import Job, OutboxMessage
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # Monday 10:00 in Mexico City

NEW_MESSAGE = 21
"""Statements for a known contact's first message (a new ticket), the whole request: the
contact, the sender's row (read, inserted), the ticket's rows (open_ticket: a savepoint, seven
inserts; the key is checked once, under the sender's lock), the weekly chains' next jobs (two
lookups, ``jobs.chains``), the conversation, the acknowledgement (read, and queued: its
outbox row and delivery job, one insert each) and the outer savepoint. It was 40 before the
outbox, the job scheduler and the sender's row stopped reading before inserting and wrapping
each insert in a savepoint; do not let it grow back unnoticed."""
REPLY = 18
"""Statements for the next message of that number (appended to its open ticket; no T1
exchange count while no agent has replied)."""


def test_a_new_message_and_a_reply_cost_a_bounded_number_of_statements(
    world: Any, whatsapp: Any, django_assert_max_num_queries: Any
) -> None:
    ana = world.contacts["pro"]
    ana.phone = "+52 81 2698 2507"
    ana.save(update_fields=["phone"])

    # Another customer's ticket first: the first ticket of all also starts the weekly chains.
    services.open_ticket(
        requester=world.contacts["starter"],
        channel="portal",
        severity="P3",
        subject="Otro cliente",
        body="Primero",
        intake=Intake(),
        now=AT,
    )
    with django_assert_max_num_queries(NEW_MESSAGE):
        first = post(payload(text("wamid.Q1", "No cobra", at=AT)), now=AT + timedelta(seconds=3))
    with django_assert_max_num_queries(REPLY):
        later = AT + timedelta(minutes=1)
        reply = post(payload(text("wamid.Q2", "Sigue", at=later)), now=later)

    [created] = first.json()["messages"]
    assert (created["outcome"], reply.json()["messages"][0]["outcome"]) == ("created", "appended")
    ticket = Ticket.objects.get(pk=created["ticket"])
    assert ticket.messages.count() == 3  # the message, the acknowledgement, the reply
    assert {c.kind for c in ticket.clocks.all()} >= {"first_response", "channel_response"}
    assert WhatsAppTicket.objects.get(ticket=ticket).sender.wa_id == "5218126982507"
    [ack] = OutboxMessage.objects.filter(transport="whatsapp")
    assert Job.objects.filter(key=f"outbox:{ack.idempotency_key}", status="pending").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same", [False, True], ids=["two messages", "one message twice"])
def test_a_new_numbers_messages_at_once_open_one_ticket(
    world: Any, whatsapp: Any, same: bool
) -> None:
    """The sender's row is written without a savepoint (an insert that skips a number written
    meanwhile) and then locked: two deliveries of a new number at the same instant still file
    each wamid once, on one ticket."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database takes one writer at a time")
    wamids = ["wamid.C1", "wamid.C1" if same else "wamid.C2"]
    start = threading.Barrier(len(wamids))
    outcomes: list[str] = []

    def deliver(wamid: str) -> None:
        try:
            start.wait()
            raw = payload(text(wamid, "hola", at=AT, sender="5213312345678"))
            outcomes.extend(r.outcome for r in ingest.receive(raw, now=AT).messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(w,)) for w in wamids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    expected = ["created", "duplicate"] if same else ["appended", "created"]
    assert sorted(outcomes) == expected
    assert WhatsAppSender.objects.filter(wa_id="5213312345678").count() == 1
    ticket = Ticket.objects.get()
    filed = ticket.messages.filter(author_kind="customer").values_list("provider_id", flat=True)
    assert sorted(filed) == sorted(set(wamids))
