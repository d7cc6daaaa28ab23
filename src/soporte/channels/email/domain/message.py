"""A raw RFC 5322 message read as a person reads it: sender, subject, body text, attachments,
and whether it is automatic (an auto-reply, a list, a bounce). Pure: bytes in, values out.

:func:`parse` never raises on what a mailbox may hold; what it cannot read it leaves empty
(and says so in ``problems``). Only :class:`TooLarge` is raised, before anything is read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

MAX_BYTES = 40 * 2**20
"""A message larger than this is rejected whole (nothing of it is written)."""


class TooLarge(ValueError):
    """The raw message is larger than the size limit."""


@dataclass(frozen=True, slots=True)
class Part:
    """An attachment, or an inline image referenced from the HTML by ``cid:``."""

    filename: str
    content_type: str
    data: bytes
    content_id: str = ""
    """Without angle brackets; empty when the part has none."""
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Bounce:
    """A delivery status notification: whose address failed, why, and for which message."""

    recipient: str
    reason: str
    original_message_id: str = ""


@dataclass(frozen=True, slots=True)
class InboundMail:
    message_id: str
    """``<…>`` as the sender wrote it; derived from the content when there is none."""
    from_address: str
    """The sender's address (lower-cased); empty when there is no readable one."""
    from_name: str
    subject: str
    text: str
    """The body as plain text (HTML converted), quoted history included."""
    reply_text: str
    """``text`` without the quoted history and signature (what the sender wrote now)."""
    quoted_text: str = ""
    html: str = ""
    """The HTML body as the sender wrote it (unsanitised; empty for a text-only message)."""
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    reply_to: tuple[str, ...] = ()
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    date: datetime | None = None
    """The sender's ``Date`` (never a clock's start: READING.md §2)."""
    parts: tuple[Part, ...] = ()
    automatic: str = ""
    """Why the message is automatic (``auto-submitted``, ``precedence``, ``list``,
    ``autoreply``, ``bounce``); empty for a message a person wrote."""
    bounce: Bounce | None = None
    language: str = ""
    """``es`` or ``en`` when the text says so clearly (else empty)."""
    problems: tuple[str, ...] = field(default_factory=tuple)
    """What could not be read (shown to no customer; logged)."""


def parse(raw: bytes, *, max_bytes: int = MAX_BYTES) -> InboundMail:
    """``raw`` read into an :class:`InboundMail`."""
    if len(raw) > max_bytes:
        raise TooLarge(f"the message is {len(raw):,} bytes; the limit is {max_bytes:,} bytes")
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    name, address = parseaddr(str(msg.get("From", "")))
    body = msg.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    return InboundMail(
        message_id=str(msg.get("Message-ID", "")).strip() or derived_message_id(raw),
        from_address=address.lower(),
        from_name=name,
        subject=str(msg.get("Subject", "")),
        text=text,
        reply_text=text,
        to=_addresses(msg, "To"),
        cc=_addresses(msg, "Cc"),
        in_reply_to=tuple(str(msg.get("In-Reply-To", "")).split()),
        references=tuple(str(msg.get("References", "")).split()),
        date=_date(msg),
    )


def derived_message_id(raw: bytes) -> str:
    """A stable Message-ID for a message that has none: the same bytes, the same id."""
    return f"<{hashlib.sha256(raw).hexdigest()[:32]}@derived.soporte>"


def _addresses(msg: EmailMessage, name: str) -> tuple[str, ...]:
    pairs = getaddresses([str(v) for v in msg.get_all(name, [])])
    return tuple(a.lower() for _, a in pairs if a)


def _date(msg: EmailMessage) -> datetime | None:
    try:
        return parsedate_to_datetime(str(msg.get("Date", "")))
    except (TypeError, ValueError):
        return None
