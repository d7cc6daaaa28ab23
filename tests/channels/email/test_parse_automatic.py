"""Mail no person wrote (auto-replies, lists, bulk, bounces) and what a bounce says: whose
address failed, why, and for which of our messages."""

from __future__ import annotations

import pytest
from corpus import message

from soporte.channels.email.domain.message import parse
from soporte.channels.email.domain.parts import Bounce


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ((), ""),
        ((("Auto-Submitted", "auto-replied"),), "auto-submitted"),
        ((("Auto-Submitted", "auto-generated; owner-email=x@y"),), "auto-submitted"),
        ((("Auto-Submitted", "No"),), ""),
        ((("Auto-Submitted", "no (a person wrote it)"),), ""),
        ((("Precedence", "bulk"),), "precedence"),
        ((("Precedence", "JUNK"),), "precedence"),
        ((("Precedence", "list"),), "precedence"),
        ((("Precedence", "first-class"),), ""),
        ((("X-Autoreply", "yes"),), "autoreply"),
        ((("X-Autorespond", "Out of office"),), "autoreply"),
        ((("X-Auto-Response-Suppress", "All"),), "autoreply"),
        ((("X-Auto-Response-Suppress", "DR, OOF"),), "autoreply"),
        ((("X-Auto-Response-Suppress", "DR, RN, NRN"),), ""),
        ((("List-Id", "Clientes <clientes.acme.example>"),), "list"),
        ((("List-Unsubscribe", "<mailto:unsub@acme.example>"),), "list"),
        ((("From", "MAILER-DAEMON@mx.acme.example"),), "bounce"),
        ((("From", "Mail Delivery System <Mailer-Daemon@mx.acme.example>"),), "bounce"),
        ((("From", "postmaster@acme.example"),), "bounce"),
        ((("From", "MAILER-DAEMON (Mail Delivery System)"),), "bounce"),
    ],
)
def test_automatic_mail(headers: tuple[tuple[str, str], ...], why: str) -> None:
    sender = () if any(name == "From" for name, _ in headers) else (("From", "ana@acme.example"),)
    mail = parse(message(*sender, *headers, ("Subject", "x"), body=b"Fuera de la oficina"))
    assert mail.automatic == why
    assert (mail.bounce is not None) == (why == "bounce")


def report(action: str, *, original: bytes, report_type: str = "delivery-status") -> bytes:
    return message(
        ("From", "Mail Delivery System <MAILER-DAEMON@mx.acme.example>"),
        ("To", "soporte@trackmyvend.com"),
        ("Subject", "Undelivered Mail Returned to Sender"),
        ("Auto-Submitted", "auto-replied"),
        ("Content-Type", f'multipart/report; report-type={report_type}; boundary="r"'),
        body=b"--r\nContent-Type: text/plain\n\n"
        b"This is the mail system at host mx.acme.example.\n\n"
        b"I'm sorry to have to inform you that your message could not\nbe delivered.\n"
        b"\n--r\nContent-Type: message/delivery-status\n\n"
        b"Reporting-MTA: dns; mx.acme.example\nArrival-Date: Mon, 7 Dec 2026 10:00:00 -0600\n\n"
        b"Final-Recipient: rfc822; Ana.Perez@Acme.Example\n"
        b"Original-Recipient: rfc822;ana.perez@acme.example\n"
        b"Action: " + action.encode() + b"\nStatus: 5.1.1\n"
        b"Diagnostic-Code: smtp; 550 5.1.1 <ana.perez@acme.example>: Recipient address\n"
        b"    rejected: User unknown in local recipient table\n"
        b"\n--r\n" + original + b"\n--r--\n",
    )


ORIGINAL = (
    b"Content-Type: message/rfc822\n\n"
    b"From: soporte+42-1a2b3c4d5e@trackmyvend.com\nTo: ana.perez@acme.example\n"
    b"Message-ID: <reply-42-7@trackmyvend.com>\nSubject: [#42] Tablero\n\nRespuesta"
)
HEADERS_ONLY = (
    b"Content-Type: text/rfc822-headers\n\n"
    b"From: soporte@trackmyvend.com\nMessage-ID: <reply-42-8@trackmyvend.com>\n"
)
REASON = (
    "550 5.1.1 <ana.perez@acme.example>: Recipient address rejected: "
    "User unknown in local recipient table"
)


@pytest.mark.parametrize(
    ("original", "message_id"),
    [
        (ORIGINAL, "<reply-42-7@trackmyvend.com>"),
        (HEADERS_ONLY, "<reply-42-8@trackmyvend.com>"),
    ],
)
def test_an_rfc_3464_bounce(original: bytes, message_id: str) -> None:
    mail = parse(report("failed", original=original))
    assert mail.automatic == "bounce"
    assert mail.bounce == Bounce("ana.perez@acme.example", REASON, message_id)
    assert mail.from_address == "mailer-daemon@mx.acme.example"


def test_a_bounce_without_a_diagnostic_gives_its_status() -> None:
    raw = report("failed", original=ORIGINAL).replace(b"Diagnostic-Code", b"X-Diagnostic")
    mail = parse(raw)
    assert mail.bounce == Bounce("ana.perez@acme.example", "5.1.1", "<reply-42-7@trackmyvend.com>")


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (report("delayed", original=ORIGINAL), "report"),
        (report("delivered", original=ORIGINAL), "report"),
        (report("displayed", original=ORIGINAL, report_type="disposition-notification"), "report"),
    ],
)
def test_a_report_of_no_failure_is_automatic_but_no_bounce(raw: bytes, why: str) -> None:
    mail = parse(raw)
    assert (mail.automatic, mail.bounce) == (why, None)


QMAIL = b"""Hi. This is the qmail-send program at mx.acme.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<luis@acme.example>:
192.0.2.7 does not like recipient.
Remote host said: 550 5.1.1 No such user luis
Giving up on 192.0.2.7.

--- Below this line is a copy of the message.

From: soporte@trackmyvend.com
Message-ID: <reply-9-1@trackmyvend.com>
Subject: [#9] Hola
"""
EXIM = b"""This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  maria@tienda.example
    mailbox is full
"""


@pytest.mark.parametrize(
    ("sender", "body", "bounce"),
    [
        (
            "MAILER-DAEMON@mx.acme.example",
            QMAIL,
            Bounce(
                "luis@acme.example", "550 5.1.1 No such user luis", "<reply-9-1@trackmyvend.com>"
            ),
        ),
        (
            "Mail Delivery System <Mailer-Daemon@mx.tienda.example>",
            EXIM,
            Bounce(
                "maria@tienda.example",
                "This message was created automatically by mail delivery software.",
            ),
        ),
        ("postmaster@acme.example", b"", Bounce("", "")),
    ],
)
def test_a_plain_text_bounce(sender: str, body: bytes, bounce: Bounce) -> None:
    mail = parse(message(("From", sender), ("Subject", "failure notice"), body=body))
    assert (mail.automatic, mail.bounce) == ("bounce", bounce)
