"""Replies to a caller without an email address go to their number by SMS, through Twilio's
Messages API (the local fake checks each request as Twilio documents it): in pieces of at most
1600 characters headed with the ticket's number, each queued once; a refusal is on the
ticket's timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from fake_twilio import FROM_NUMBER, FakeTwilio, call_params, call_sid
from voice_helpers import post

from soporte.jobs import services as jobs
from soporte.jobs.models import OutboxMessage
from soporte.tickets import replies
from soporte.tickets import services as tickets
from soporte.tickets.models import EventKind, Ticket

pytestmark = pytest.mark.django_db

CALLER = "+523312345678"  # nobody's number: an unidentified caller, known by number only
CALLED = datetime(2026, 12, 2, 9, tzinfo=UTC)
REPLIED = CALLED + timedelta(minutes=4)


def _call(number: str) -> None:
    with time_machine.travel(CALLED, tick=False):
        assert post("/hooks/voice", call_params(call_sid(), number)).status_code == 200


def _run(at: datetime) -> None:
    while jobs.run_due(worker="test", now=at):
        pass


@pytest.fixture
def call(world: Any, fake_twilio: FakeTwilio) -> Ticket:
    _call(CALLER)
    ticket = Ticket.objects.get()
    assert (ticket.requester.email, ticket.requester.phone_e164) == ("", CALLER)
    return ticket


def test_an_agents_reply_reaches_the_caller_by_sms_once(
    call: Ticket, world: Any, fake_twilio: FakeTwilio, mailoutbox: list[Any]
) -> None:
    at = REPLIED
    reply = tickets.reply(
        ticket=call, author=world.agents["t1"], body="Ya revisamos la máquina & <b>", at=at
    )
    replies.send(call, reply, now=at)  # queued again: nothing more
    _run(at)
    _run(at + timedelta(minutes=5))

    assert fake_twilio.problems == []
    assert fake_twilio.messages == [
        {"To": CALLER, "From": FROM_NUMBER, "Body": f"[#{call.pk}] Ya revisamos la máquina & <b>"}
    ]
    [sent] = OutboxMessage.objects.filter(transport="sms")
    assert (sent.idempotency_key, sent.status) == (f"sms:message:{reply.pk}:0", "sent")
    assert mailoutbox == []


def test_a_long_reply_goes_in_pieces_cut_between_words(
    call: Ticket, world: Any, fake_twilio: FakeTwilio
) -> None:
    words = [f"palabra{n}" for n in range(400)]  # about 4,000 characters
    at = REPLIED
    tickets.reply(ticket=call, author=world.agents["t1"], body=" ".join(words), at=at)
    _run(at)

    bodies = [m["Body"] for m in fake_twilio.messages]
    heads = [f"[#{call.pk} {i}/3] " for i in (1, 2, 3)]
    assert [b[: len(h)] for b, h in zip(bodies, heads, strict=True)] == heads
    assert all(len(b) <= 1600 for b in bodies)
    rejoined = " ".join(b[len(h) :] for b, h in zip(bodies, heads, strict=True))
    assert rejoined.split() == words


def test_a_caller_with_an_email_address_is_answered_by_email(
    world: Any, fake_twilio: FakeTwilio, mailoutbox: list[Any]
) -> None:
    ana = world.contacts["pro"]
    ana.phone = "+52 55 1234 5678"
    ana.save(update_fields=["phone"])
    _call("+525512345678")
    ticket = Ticket.objects.get()
    at = REPLIED
    tickets.reply(ticket=ticket, author=world.agents["t1"], body="Te escribimos", at=at)
    _run(at)

    assert fake_twilio.messages == []
    assert any("Te escribimos" in m.body for m in mailoutbox)


def test_an_sms_twilio_refuses_is_on_the_tickets_timeline(
    call: Ticket, world: Any, fake_twilio: FakeTwilio
) -> None:
    fake_twilio.answer("400")
    at = REPLIED
    reply = tickets.reply(ticket=call, author=world.agents["t1"], body="Hola", at=at)
    _run(at)

    [failed] = call.timeline.filter(kind=EventKind.DELIVERY_FAILED)
    assert (failed.data["channel"], failed.data["message"]) == ("sms", reply.pk)
    assert failed.data["to"] == CALLER
    assert "400" in failed.data["error"]
