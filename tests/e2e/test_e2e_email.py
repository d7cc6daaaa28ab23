"""Email end to end: a customer's email delivered into a real Dovecot, the IMAP poll files it,
an agent answers from the console in Chromium, the answer reaches a real SMTP server threaded,
and the customer's reply to it (written by Python's ``email`` as a mail client writes one,
delivered into Dovecot again) appends to the same ticket, where the agent sees it."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from django.utils import timezone
from e2e_helpers import NewSession, console_reply, sign_in
from playwright.sync_api import expect

from channels.dovecot import DOVECOT, Dovecot, running_dovecot
from channels.smtp_server import SmtpServer, smtp_server
from soporte.channels.email import imap
from soporte.channels.email.ingest import Outcome
from soporte.channels.email.secrets import desk_address
from soporte.jobs import services as jobs
from soporte.tickets.models import Message, Ticket

__all__ = ["smtp_server"]

pytestmark = pytest.mark.slow  # starts Dovecot, an SMTP server and a browser

SUBJECT = "La máquina 7 no reporta ventas"


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if not DOVECOT.exists():
        pytest.skip(f"{DOVECOT} is missing: install Debian's dovecot-imapd (.ci/run does)")
    with running_dovecot() as server:
        yield server


def poll(server: Dovecot) -> list[Outcome]:
    mailbox = imap.mailbox_from_url(server.url, processed="Procesados", rejected="Rechazados")
    return [p.result.outcome for p in imap.poll_once(mailbox, now=timezone.now())]


def test_an_email_thread_goes_round_through_imap_the_console_and_smtp(
    world: Any, new_session: NewSession, dovecot: Dovecot, smtp_server: SmtpServer
) -> None:
    customer = world.contacts["pro"]
    first = EmailMessage()
    first["From"] = f"{customer.name} <{customer.email}>"
    first["To"] = desk_address()
    first["Subject"] = SUBJECT
    first["Message-ID"] = make_msgid(domain="pro.example")
    first.set_content("Desde hoy a las 9:30 hora del centro la máquina 7 no reporta ventas.")
    dovecot.deliver(first.as_bytes())

    assert poll(dovecot) == [Outcome.CREATED]
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.requester) == ("email", customer)

    agent = new_session()
    sign_in(agent, world.agents["t1"].email, lands_on="/console/queue/T1")
    console_reply(agent, ticket.pk, "Hola Ana, ya reiniciamos su módem.")
    while jobs.run_due(worker="e2e", now=timezone.now()):
        pass

    [answer] = [m for m in smtp_server.messages() if "reiniciamos" in m.get_body().get_content()]
    assert answer["To"] == customer.email
    assert answer["In-Reply-To"]  # on the acknowledgement, itself on the customer's message
    assert first["Message-ID"] in answer["References"]
    stored = Message.objects.get(ticket=ticket, author_agent=world.agents["t1"])
    assert stored.email_message_id == answer["Message-ID"]

    reply = EmailMessage()  # what the customer's mail client sends on "Reply"
    reply["From"] = first["From"]
    reply["To"] = answer["Reply-To"]
    reply["Subject"] = f"Re: {answer['Subject']}"
    reply["Message-ID"] = make_msgid(domain="pro.example")
    reply["In-Reply-To"] = answer["Message-ID"]
    reply["References"] = f"{answer['References']} {answer['Message-ID']}"
    reply.set_content("Ya volvió a reportar, gracias.\n\n> Hola Ana, ya reiniciamos su módem.\n")
    dovecot.deliver(reply.as_bytes())

    assert poll(dovecot) == [Outcome.APPENDED]
    assert Ticket.objects.count() == 1
    agent.reload()
    expect(agent.locator("#conversation")).to_contain_text("Ya volvió a reportar, gracias.")
