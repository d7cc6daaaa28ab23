"""What a customer's mail client receives from the desk, over real SMTP (aiosmtpd): the
acknowledgement threaded on the customer's own email, replies threaded on the conversation,
every one answerable through the ticket's reply address; text and HTML; attachments; CCs; the
RFC 3834 marks of automatic emails."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid, parseaddr
from typing import Any, cast

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from structlog.testing import capture_logs

from channels.smtp_server import SmtpServer
from soporte.channels.email.domain.addresses import ticket_of
from soporte.channels.email.secrets import desk_address, reply_secret, ticket_reply_address
from soporte.jobs import services as jobs
from soporte.jobs.models import OutboxMessage
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Message, Ticket
from soporte.tickets.selectors import MessageKey

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

RECEIVED = datetime.fromisoformat("2026-12-01T10:00:00-06:00")
REPLIED = RECEIVED + timedelta(hours=1)
DESK = "TrackMyVend <soporte@trackmyvend.example>"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
THEIR_ID = "<CAF=abc123@mail.pro.example>"


@pytest.fixture(autouse=True)
def desk(settings: Any, tmp_path: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = DESK
    settings.MEDIA_ROOT = tmp_path


def by_email(world: Any, subject: str = "RE: Re: La impresora no imprime [#7]") -> Ticket:
    """A ticket as the email channel opens it: keyed on the customer's Message-ID."""
    return services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P2",
        subject=subject,
        body="La impresora de la tienda 4 no imprime tickets.",
        intake=Intake(),
        received_at=RECEIVED,
        now=RECEIVED,
        key=MessageKey("email", THEIR_ID),
    )


def deliver(now: datetime) -> None:
    """The worker's runs until nothing is due at ``now``."""
    while jobs.run_due(worker="w", now=now):
        pass


def answer(world: Any, ticket: Ticket, body: str = "Ya la reiniciamos.", **kw: Any) -> Message:
    return services.reply(
        ticket=ticket, author=world.agents["t1"], body=body, at=kw.pop("at", REPLIED), **kw
    )


def only(server: SmtpServer, subject_part: str) -> EmailMessage:
    found = [m for m in server.messages() if subject_part in str(m["Subject"])]
    assert len(found) == 1, [str(m["Subject"]) for m in server.messages()]
    return found[0]


def parts(message: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.walk()]


def body(message: EmailMessage, kind: str) -> str:
    """The ``plain`` or ``html`` part's text, line ends as Python writes them."""
    part = cast(EmailMessage, message.get_body((kind,)))
    return str(part.get_content()).replace("\r\n", "\n")


def test_the_acknowledgement_answers_the_customers_own_email_in_its_thread(
    world: Any, smtp_server: SmtpServer
) -> None:
    ticket = by_email(world)
    deliver(RECEIVED)

    ack = only(smtp_server, f"[#{ticket.pk}]")
    n = ticket.pk
    assert ack["Subject"] == f"Re: [#{n}] La impresora no imprime"  # one Re:, one tag
    assert parseaddr(str(ack["From"]))[1] == "soporte@trackmyvend.example"
    assert ack["To"] == "ana@pro.example"
    reply_to = parseaddr(str(ack["Reply-To"]))[1]
    assert reply_to == ticket_reply_address(n)
    assert ticket_of(reply_to, desk=desk_address(), secret=reply_secret()) == n
    assert (ack["In-Reply-To"], ack["References"]) == (THEIR_ID, THEIR_ID)
    stored = ticket.messages.get(author_kind="system")
    assert ack["Message-ID"] == stored.email_message_id
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["X-Auto-Response-Suppress"] == "All"
    assert parts(ack) == ["multipart/alternative", "text/plain", "text/html"]
    text, html = body(ack, "plain"), body(ack, "html")
    assert f"#{n}" in text
    assert f"#{n}" in html
    assert "<p>Hola Ana pro:</p>" in html
    assert smtp_server.delivered[0].rcpt_tos == ("ana@pro.example",)


def test_a_portal_tickets_acknowledgement_is_the_root_of_a_new_thread(
    world: Any, smtp_server: SmtpServer
) -> None:
    ticket = services.open_ticket(
        requester=world.contacts["pro"],
        channel="portal",
        severity="P2",
        subject="Re: Dashboard shows $0",
        body="Ventas totales hoy shows $0.",
        intake=Intake(),
        received_at=RECEIVED,
        now=RECEIVED,
    )
    deliver(RECEIVED)

    ack = only(smtp_server, f"[#{ticket.pk}]")
    assert ack["Subject"] == f"[#{ticket.pk}] Recibimos tu ticket: Re: Dashboard shows $0"
    assert ack["In-Reply-To"] is None
    assert ack["References"] is None
    assert ack["Auto-Submitted"] == "auto-replied"
    assert parseaddr(str(ack["Reply-To"]))[1] == ticket_reply_address(ticket.pk)


def test_an_agent_reply_threads_on_the_conversation_with_its_attachment_and_no_auto_mark(
    world: Any, smtp_server: SmtpServer
) -> None:
    ticket = by_email(world)
    upload = SimpleUploadedFile("reinicio.png", PNG, content_type="image/png")
    message = answer(world, ticket, body="Ya la reiniciamos.\n\nMira la captura.", uploads=[upload])
    deliver(REPLIED)

    sent = [m for m in smtp_server.messages() if m["Message-ID"] == message.email_message_id]
    assert len(sent) == 1
    reply = sent[0]
    root = ticket.messages.get(author_kind="system").email_message_id
    assert reply["Subject"] == f"Re: [#{ticket.pk}] La impresora no imprime"
    assert reply["In-Reply-To"] == root
    assert reply["References"] == f"{THEIR_ID} {root}"  # the customer's email first
    assert reply["Auto-Submitted"] is None
    assert parseaddr(str(reply["Reply-To"]))[1] == ticket_reply_address(ticket.pk)
    assert parts(reply) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "image/png",
    ]
    text, html = body(reply, "plain"), body(reply, "html")
    assert "Ya la reiniciamos.\n\nMira la captura." in text
    assert "<p>Ya la reiniciamos.</p><p>Mira la captura.</p>" in html
    [attached] = list(reply.iter_attachments())
    assert attached.get_filename() == "reinicio.png"
    assert attached.get_content() == PNG


def test_a_reply_whose_attachment_is_gone_goes_without_it_and_says_so_in_the_log(
    world: Any, smtp_server: SmtpServer
) -> None:
    ticket = by_email(world)
    upload = SimpleUploadedFile("reinicio.png", PNG, content_type="image/png")
    message = answer(world, ticket, uploads=[upload])
    default_storage.delete(message.attachments.get().file.name)

    with capture_logs() as logs:
        deliver(REPLIED)

    [reply] = [m for m in smtp_server.messages() if m["Message-ID"] == message.email_message_id]
    assert list(reply.iter_attachments()) == []
    assert "Ya la reiniciamos." in body(reply, "plain")
    missing = [e for e in logs if e["event"] == "outbox.attachment_missing"]
    assert [e["attachment"]["filename"] for e in missing] == ["reinicio.png"]
    sent = OutboxMessage.objects.get(idempotency_key=f"message:{message.pk}")
    assert sent.status == OutboxMessage.Status.SENT


def test_every_public_email_goes_to_the_tickets_ccs(world: Any, smtp_server: SmtpServer) -> None:
    ticket = by_email(world)
    agent = world.agents["t1"]
    services.add_cc(ticket=ticket, address="Jefa@Pro.example", actor=agent, at=REPLIED)
    services.add_cc(ticket=ticket, address="it@pro.example", actor=agent, at=REPLIED)
    message = answer(world, ticket)
    note = answer(world, ticket, body="Nota interna.", public=False)
    services.change_status(
        ticket=ticket, status="solved", actor=agent, at=REPLIED + timedelta(minutes=5)
    )
    deliver(REPLIED + timedelta(minutes=5))

    sent = {str(m["Message-ID"]): m for m in smtp_server.messages()}
    reply = sent[str(message.email_message_id)]
    assert [a for _, a in getaddresses([str(reply["Cc"])])] == [
        "jefa@pro.example",
        "it@pro.example",
    ]
    envelopes = {
        message_from_bytes(d.raw, policy=policy.default)["Message-ID"]: d
        for d in smtp_server.delivered
    }
    assert set(envelopes[message.email_message_id].rcpt_tos) == {
        "ana@pro.example",
        "jefa@pro.example",
        "it@pro.example",
    }
    notice = ticket.messages.order_by("-pk").first()
    assert notice is not None
    assert notice.pk != note.pk
    solved = sent[str(notice.email_message_id)]
    assert solved["Auto-Submitted"] == "auto-generated"
    assert solved["Subject"] == f"[#{ticket.pk}] Resuelto: La impresora no imprime"
    assert "jefa@pro.example" in str(solved["Cc"])
    ack = sent[str(ticket.messages.get(author_kind="system", pk__lt=message.pk).email_message_id)]
    assert ack["Cc"] is None  # nobody was copied yet when the ticket opened
    assert "Nota interna." not in b"".join(d.raw for d in smtp_server.delivered).decode()


def client_reply(ours: EmailMessage, body: str) -> EmailMessage:
    """The reply a mail client writes to ``ours`` (RFC 5322 §3.6.4)."""
    reply = EmailMessage()
    subject = str(ours["Subject"])
    reply["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    reply["From"] = "Ana <ana@pro.example>"
    reply["To"] = str(ours["Reply-To"] or ours["From"])
    reply["Message-ID"] = make_msgid(domain="mail.pro.example")
    reply["In-Reply-To"] = str(ours["Message-ID"])
    reply["References"] = " ".join(filter(None, [ours["References"], ours["Message-ID"]]))
    reply.set_content(body)
    return reply


def test_a_mail_clients_reply_carries_everything_the_ingest_threads_on(
    world: Any, smtp_server: SmtpServer
) -> None:
    ticket = by_email(world)
    message = answer(world, ticket)
    deliver(REPLIED)
    [ours] = [m for m in smtp_server.messages() if m["Message-ID"] == message.email_message_id]

    theirs = message_from_bytes(
        bytes(client_reply(ours, "Sigue sin imprimir.")), policy=policy.default
    )

    to = parseaddr(str(theirs["To"]))[1]
    assert ticket_of(to, desk=desk_address(), secret=reply_secret()) == ticket.pk
    assert Message.objects.get(email_message_id=theirs["In-Reply-To"]).ticket_id == ticket.pk
    root, *_, last = str(theirs["References"]).split()
    assert root == THEIR_ID  # the ticket's first message, stored as it came
    assert Message.objects.get(provider_scope="email", provider_id=root).ticket_id == ticket.pk
    assert last == message.email_message_id
    assert theirs["Subject"] == f"Re: [#{ticket.pk}] La impresora no imprime"
    assert str(theirs["Subject"]).count("Re:") == 1
