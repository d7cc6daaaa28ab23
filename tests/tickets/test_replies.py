"""A reply reaches the customer (READING.md §9): every public agent reply, and an agent's
solving the ticket, goes to the requester by email through the outbox, threaded on the ticket;
internal notes never leave; a send that fails for good shows on the ticket."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from soporte.jobs import services as jobs
from soporte.jobs.models import Job, OutboxMessage
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, Message, MessageKind

pytestmark = pytest.mark.django_db

OPENED = datetime.fromisoformat("2026-12-01T10:00:00-06:00")
REPLIED = OPENED + timedelta(hours=1)


def open_(
    world: Any, plan: str = "pro", channel: str = "portal", now: datetime | None = None
) -> Any:
    return services.open_ticket(
        requester=world.contacts[plan],
        channel=channel,
        severity="P2",
        subject="Dashboard shows $0",
        body="Ventas totales hoy shows $0.",
        intake=Intake(),
        received_at=OPENED,
        now=now or timezone.now(),
    )


def answer(world: Any, ticket: Any, body: str = "Ya lo corregimos.", **kw: Any) -> Message:
    return services.reply(
        ticket=ticket, author=world.agents["t1"], body=body, at=kw.pop("at", REPLIED), **kw
    )


def ack_email(ticket: Any) -> OutboxMessage:
    return OutboxMessage.objects.get(idempotency_key=f"ack:{ticket.pk}")


def email_of(message: Message) -> OutboxMessage:
    return OutboxMessage.objects.get(idempotency_key=f"message:{message.pk}")


@pytest.mark.parametrize("channel", ["portal", "email", "chat"])
def test_a_public_agent_reply_is_emailed_to_the_requester_threaded_on_the_acknowledgement(
    world: Any, settings: Any, channel: str
) -> None:
    settings.PUBLIC_BASE_URL = "https://soporte.example"
    settings.DEFAULT_FROM_EMAIL = "TrackMyVend <soporte@trackmyvend.example>"
    ticket = open_(world, channel=channel)
    message = answer(world, ticket, body="Ya lo corregimos.\n\nRecarga la página.")

    email = email_of(message)
    payload = email.payload
    assert payload["to"] == ["ana@pro.example"]
    assert payload["subject"] == f"Re: [#{ticket.pk}] Dashboard shows $0"
    assert "Ya lo corregimos.\n\nRecarga la página." in payload["body"]
    assert "T1 respondió a tu ticket" in payload["body"]  # Spanish, the contact's language
    assert f"https://soporte.example/portal/tickets/{ticket.pk}" in payload["body"]
    # The acknowledgement is the thread's root: it carries our Message-ID, kept on its message.
    ack = ticket.messages.get(author_kind="system")
    root = ack.email_message_id
    assert root == ack_email(ticket).payload["headers"]["Message-ID"]
    headers = payload["headers"]
    assert headers["Message-ID"] == message.email_message_id != root
    for made in (root, headers["Message-ID"]):
        assert made.startswith("<")
        assert made.endswith("@trackmyvend.example>")
    assert headers["In-Reply-To"] == root
    assert headers["References"] == root
    # The email job is due at the reply's instant, not the real clock.
    assert Job.objects.get(key=f"outbox:message:{message.pk}").due_at == REPLIED


def test_replies_thread_on_each_other_in_the_customers_language(world: Any) -> None:
    contact = world.contacts["pro"]
    contact.locale = "en"
    contact.save()
    ticket = open_(world)
    first = answer(world, ticket, body="Looking into it.")
    second = answer(world, ticket, body="Fixed.", at=REPLIED + timedelta(minutes=5))

    headers = email_of(second).payload["headers"]
    root = ticket.messages.get(author_kind="system").email_message_id
    assert headers["In-Reply-To"] == first.email_message_id
    assert headers["References"] == f"{root} {first.email_message_id}"
    body = email_of(second).payload["body"]
    assert "T1 replied to your ticket" in body
    assert "Fixed." in body


def test_an_internal_note_and_a_customer_reply_send_nothing(world: Any) -> None:
    ticket = open_(world)
    note = answer(world, ticket, body="Secret: the DB is down.", public=False)
    said = services.reply(ticket=ticket, author=world.contacts["pro"], body="Hola?", at=REPLIED)

    assert note.kind == MessageKind.INTERNAL
    keys = list(OutboxMessage.objects.values_list("idempotency_key", flat=True))
    assert keys == [f"ack:{ticket.pk}"]
    assert (note.email_message_id, said.email_message_id) == (None, None)


def test_an_agent_solving_the_ticket_tells_the_customer_in_the_thread(world: Any) -> None:
    ticket = open_(world)
    reply = answer(world, ticket)
    solved_at = REPLIED + timedelta(hours=1)
    services.change_status(ticket=ticket, status="solved", actor=world.agents["t1"], at=solved_at)

    notice = ticket.messages.order_by("-id").first()
    assert notice is not None
    assert (notice.author_kind, notice.kind) == ("system", "public")
    assert "como resuelto" in notice.body
    email = email_of(notice)
    assert email.payload["subject"] == f"[#{ticket.pk}] Resuelto: Dashboard shows $0"
    assert "como resuelto" in email.payload["body"]
    assert email.payload["headers"]["In-Reply-To"] == reply.email_message_id
    assert Job.objects.get(key=f"outbox:message:{notice.pk}").due_at == solved_at


def test_a_customer_solving_their_own_ticket_gets_no_email(world: Any) -> None:
    ticket = open_(world)
    services.change_status(ticket=ticket, status="solved", actor=world.contacts["pro"], at=REPLIED)

    assert OutboxMessage.objects.count() == 1  # the acknowledgement only


def test_the_reply_goes_out_with_its_thread_headers(world: Any) -> None:
    ticket = open_(world)
    message = answer(world, ticket)

    jobs.run_due(worker="w", now=REPLIED)

    sent = {m.subject: m for m in mail.outbox}[f"Re: [#{ticket.pk}] Dashboard shows $0"]
    assert sent.to == ["ana@pro.example"]
    assert sent.extra_headers["Message-ID"] == message.email_message_id
    assert sent.extra_headers["In-Reply-To"] == ack_email(ticket).payload["headers"]["Message-ID"]
    assert email_of(message).status == OutboxMessage.Status.SENT


class RefusingBackend:
    """An email backend whose server refuses every message."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def open(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server refused the connection")


def test_a_reply_that_fails_for_good_shows_on_the_ticket_and_its_console_page(
    world: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    ticket = open_(world, now=OPENED)  # on the clock the jobs run on (the weekly chains start)
    message = answer(world, ticket)
    for _ in range(40):  # the email's every attempt, with the jobs' backoff
        upcoming = jobs.next_due_at()
        if upcoming is None:
            break
        jobs.run_due(worker="w", now=max(upcoming, REPLIED))

    assert email_of(message).status == OutboxMessage.Status.FAILED
    ack = ticket.messages.get(author_kind="system")
    failed = ticket.timeline.filter(kind=EventKind.EMAIL_FAILED)
    assert sorted(e.data["message"] for e in failed) == [ack.pk, message.pk]  # the ack failed too
    assert {e.data["to"] for e in failed} == {"ana@pro.example"}
    assert all("mail server refused" in e.data["error"] for e in failed)
    client = Client()
    client.force_login(world.agents["t1"].user)
    page = client.get(f"/console/tickets/{ticket.pk}").content.decode()
    assert "No se pudo entregar el correo a ana@pro.example" in page
    assert f'id="message-{message.pk}"' in page
    assert "Correo no entregado" in page


def test_a_reply_through_the_api_and_the_console_reaches_the_customer(world: Any) -> None:
    from soporte.accounts.services import create_token

    ticket = open_(world, channel="email")
    token = create_token(agent=world.agents["t1"], name="test")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answered = api.post(
        f"/api/tickets/{ticket.pk}/messages",
        {"body": "Por la API."},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.content
    console = Client()
    console.force_login(world.agents["t1"].user)
    posted = console.post(
        f"/console/tickets/{ticket.pk}/reply", {"body": "Por la consola.", "kind": "public"}
    )
    assert posted.status_code == 302
    noted = console.post(
        f"/console/tickets/{ticket.pk}/reply", {"body": "Nota interna.", "kind": "internal"}
    )
    assert noted.status_code == 302

    bodies = [
        m.payload["body"]
        for m in OutboxMessage.objects.filter(idempotency_key__startswith="message:")
    ]
    assert len(bodies) == 2
    assert any("Por la API." in b for b in bodies)
    assert any("Por la consola." in b for b in bodies)
    assert not any("Nota interna." in b for b in bodies)
