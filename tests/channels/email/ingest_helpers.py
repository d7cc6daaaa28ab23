"""Raw messages for the ingest tests, built with Python's ``email`` package, and the fixed
instants they are received at."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid

from soporte.channels.email.ingest import Result, ingest
from soporte.channels.email.secrets import desk_address, ticket_reply_address

RECEIVED = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
"""A Wednesday, 10:00 in Mexico City: business hours."""

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def raw(
    *,
    sender: str = "Ana Starter <ana@starter.example>",
    to: str = "",
    cc: str = "",
    subject: str = "La pantalla de ventas no carga",
    body: str = "Hola, el tablero de ventas no carga desde hoy.",
    message_id: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    date: str = "Mon, 01 Jan 2024 08:00:00 -0600",
) -> bytes:
    """A text message as a mail client writes it."""
    msg = EmailMessage()
    if sender:
        msg["From"] = sender
    msg["To"] = to or desk_address()
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = message_id or make_msgid(domain="client.example")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    msg.set_content(body)
    return msg.as_bytes()


def deliver(message: bytes, *, at: datetime = RECEIVED) -> Result:
    """``message`` received and filed at ``at``."""
    return ingest(message, received_at=at, now=at)


__all__ = ["PNG", "RECEIVED", "deliver", "desk_address", "raw", "ticket_reply_address"]
