"""Loops and noise: automatic mail, our own mail coming back and bounces open no ticket and
get no auto-reply; a bounce is recorded on its ticket; one auto-reply per sender per 10
minutes (RFC 3834); each message filed once, whole, or rejected with a reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from ingest_helpers import RECEIVED, deliver, desk_address, raw

from soporte.channels.email.domain.message import Bounce, InboundMail, parse
from soporte.channels.email.ingest import Outcome, ingest_mail
from soporte.jobs.models import OutboxMessage
from soporte.tickets.models import AuthorKind, EventKind, Message, Ticket

pytestmark = pytest.mark.django_db


def mail(**fields: Any) -> InboundMail:
    """A parsed message from Ana (Starter), changed by ``fields``."""
    return replace(parse(raw()), **fields)


def file(value: InboundMail, *, at: Any = RECEIVED) -> Any:
    return ingest_mail(value, received_at=at, now=at)


def acknowledgements_sent() -> int:
    return OutboxMessage.objects.filter(idempotency_key__startswith="ack:").count()


@pytest.mark.parametrize("why", ["auto-submitted", "precedence", "list", "autoreply"])
def test_automatic_mail_is_ignored_and_never_answered(world: Any, why: str) -> None:
    result = file(mail(automatic=why))

    assert (result.outcome, result.ticket) == (Outcome.IGNORED, None)
    assert result.reason is not None
    assert why in result.reason
    assert not Ticket.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    "sender", ["soporte", "soporte+12-abcdef0123", "SOPORTE"], ids=["desk", "tagged", "case"]
)
def test_mail_from_the_desks_own_address_is_a_loop(world: Any, sender: str) -> None:
    local, _, domain = desk_address().partition("@")
    address = (
        f"{sender.replace('soporte', local) if sender != 'SOPORTE' else local.upper()}@{domain}"
    )

    result = deliver(raw(sender=address))

    assert result.outcome == Outcome.IGNORED
    assert result.reason is not None
    assert "loop" in result.reason
    assert not Ticket.objects.exists()


def test_our_own_outgoing_message_coming_back_is_ignored(world: Any) -> None:
    ticket = Ticket.objects.get(pk=deliver(raw()).ticket)
    ack = ticket.messages.get(author_kind=AuthorKind.SYSTEM)

    result = deliver(raw(message_id=ack.email_message_id))

    assert result.outcome == Outcome.IGNORED
    assert Ticket.objects.count() == 1


def test_mail_from_an_agent_opens_no_ticket(world: Any) -> None:
    result = deliver(raw(sender="t1@trackmyvend.example"))

    assert result.outcome == Outcome.IGNORED
    assert not Ticket.objects.exists()


def test_a_bounce_is_recorded_on_its_ticket_and_marks_the_address(world: Any) -> None:
    ticket = Ticket.objects.get(pk=deliver(raw()).ticket)
    ack = ticket.messages.get(author_kind=AuthorKind.SYSTEM)
    report = mail(
        from_address="mailer-daemon@mx.example",
        message_id="<dsn-1@mx.example>",
        automatic="bounce",
        bounce=Bounce(
            "ana@starter.example", "550 5.1.1 mailbox unknown", ack.email_message_id or ""
        ),
    )
    later = RECEIVED + timedelta(minutes=3)

    first, again = file(report, at=later), file(report, at=later)

    assert (first.outcome, first.ticket) == (Outcome.IGNORED, ticket.pk)
    assert first.reason is not None
    assert "550 5.1.1" in first.reason
    assert (again.outcome, again.ticket) == (Outcome.DUPLICATE, ticket.pk)
    bounced = ticket.timeline.get(kind=EventKind.EMAIL_BOUNCED)
    assert bounced.data["to"] == "ana@starter.example"
    assert bounced.data["message"] == ack.pk
    contact = world.contacts["starter"]
    contact.refresh_from_db()
    assert (contact.bounced_at, contact.bounce_reason) == (later, "550 5.1.1 mailbox unknown")
    assert Ticket.objects.count() == 1


def test_a_bounce_of_no_email_of_ours_is_ignored(world: Any) -> None:
    report = mail(automatic="bounce", bounce=Bounce("x@y.example", "550", "<unknown@x>"))

    result = file(report)

    assert (result.outcome, result.ticket) == (Outcome.IGNORED, None)
    assert not Ticket.objects.exists()


def test_one_auto_reply_per_sender_per_ten_minutes(world: Any) -> None:
    first = deliver(raw())
    second = deliver(raw(), at=RECEIVED + timedelta(minutes=9))
    third = deliver(raw(), at=RECEIVED + timedelta(minutes=20))
    other = deliver(raw(sender="ana@pro.example"), at=RECEIVED + timedelta(minutes=9))

    assert [r.outcome for r in (first, second, third, other)] == [Outcome.CREATED] * 4
    acked = {
        o.idempotency_key for o in OutboxMessage.objects.filter(idempotency_key__startswith="ack:")
    }
    assert acked == {f"ack:{first.ticket}", f"ack:{third.ticket}", f"ack:{other.ticket}"}
    quiet = Ticket.objects.get(pk=second.ticket)
    assert quiet.messages.filter(author_kind=AuthorKind.SYSTEM).count() == 1  # still in the thread


def test_the_same_message_three_times_is_one_ticket_one_message(world: Any) -> None:
    message = raw(message_id="<once@client.example>")

    results = [deliver(message, at=RECEIVED + timedelta(minutes=i)) for i in range(3)]

    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert {r.ticket for r in results} == {results[0].ticket}
    assert Ticket.objects.count() == 1
    assert Message.objects.filter(author_kind=AuthorKind.CUSTOMER).count() == 1
    assert acknowledgements_sent() == 1


def test_a_reply_delivered_twice_is_appended_once(world: Any) -> None:
    ticket = deliver(raw(subject="Primero")).ticket
    reply = raw(subject=f"Re: [#{ticket}] Primero", message_id="<r@client.example>")

    outcomes = [deliver(reply).outcome for _ in range(3)]

    assert outcomes == [Outcome.APPENDED, Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert Message.objects.filter(author_kind=AuthorKind.CUSTOMER).count() == 2


def test_a_message_without_a_readable_sender_is_rejected(world: Any) -> None:
    result = deliver(raw(sender=""))

    assert result.outcome == Outcome.REJECTED
    assert result.reason is not None
    assert "From" in result.reason
    assert not Ticket.objects.exists()


def test_a_message_over_the_size_limit_is_rejected_unread(world: Any, settings: Any) -> None:
    settings.SOPORTE_EMAIL_MAX_BYTES = 2000

    result = deliver(raw(body="x" * 3000))

    assert (result.outcome, result.mail) == (Outcome.REJECTED, None)
    assert result.reason is not None
    assert "limit" in result.reason
    assert not Ticket.objects.exists()
