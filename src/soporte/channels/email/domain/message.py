"""A raw RFC 5322 message read as a person reads it: sender, subject, body text, attachments,
and whether it is automatic (an auto-reply, a list, a bounce). Pure: bytes in, values out.

:func:`parse` never raises on what a mailbox may hold; what it cannot read it leaves empty
(and says so in ``problems``). Only :class:`TooLarge` is raised, before anything is read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesParser

from soporte.channels.email.domain.automatic import Fields, automatic, bounce
from soporte.channels.email.domain.body import UNREADABLE, read_body
from soporte.channels.email.domain.headers import addresses, date, message_ids, one_line_header
from soporte.channels.email.domain.language import language
from soporte.channels.email.domain.parts import Bounce, Part
from soporte.channels.email.domain.quotes import split_reply

MAX_BYTES = 40 * 2**20
"""A message larger than this is rejected whole (nothing of it is written)."""


MAX_MESSAGE_ID = 255
"""A longer Message-ID (no mailer writes one) is replaced by a digest of it: the stored key's
length."""


class TooLarge(ValueError):
    """The raw message is larger than the size limit."""


@dataclass(frozen=True, slots=True)
class InboundMail:
    message_id: str
    """The first ``Message-ID`` in ``<…>`` form; derived from the content when there is none."""
    from_address: str
    """The sender's address (lower-cased); empty when there is no readable one."""
    from_name: str
    subject: str
    text: str
    """The body as plain text (HTML converted), quoted history included."""
    reply_text: str
    """``text`` without the quoted history and signature (what the sender wrote now)."""
    quoted_text: str = ""
    """The quoted history (and forwarded messages) that ``text`` holds after the reply."""
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
    ``autoreply``, ``bounce``, ``report``: a delivery or read report that is no failure);
    empty for a message a person wrote."""
    bounce: Bounce | None = None
    """Set exactly when ``automatic`` is ``bounce``."""
    language: str = ""
    """``es`` or ``en`` when the text says so clearly (else empty)."""
    problems: tuple[str, ...] = field(default_factory=tuple)
    """What could not be read (shown to no customer; logged)."""


def parse(raw: bytes, *, max_bytes: int = MAX_BYTES) -> InboundMail:
    """``raw`` read into an :class:`InboundMail`."""
    if len(raw) > max_bytes:
        raise TooLarge(f"the message is {len(raw):,} bytes; the limit is {max_bytes:,} bytes")
    msg, problems = _message(raw)
    fields: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        fields.setdefault(name.lower(), []).append(value)
    body = read_body(msg)
    problems += [f"{type(d).__name__} in the message" for d in msg.defects] + body.problems
    main = body.text()
    text = "\n\n".join([main, *body.forwarded]).strip()
    reply, quoted = split_reply(main)
    quoted = "\n\n".join(q for q in [quoted, *body.forwarded] if q)
    sender = one_line_header(_first(fields, "from"))
    senders = addresses(fields.get("from", [])[:1])
    name, address = senders[0] if senders else ("", "")
    if not address:
        problems.append("no readable From address")
    why = automatic(fields, msg, sender)
    ids = message_ids(_first(fields, "message-id"))
    message_id = ids[0] if ids else derived_message_id(raw)
    if len(message_id) > MAX_MESSAGE_ID:
        problems.append(f"a Message-ID of {len(message_id):,} characters replaced by a digest")
        message_id = derived_message_id(message_id.encode())
    return InboundMail(
        message_id=message_id,
        from_address=address,
        from_name=name,
        subject=one_line_header(_first(fields, "subject")),
        text=text,
        reply_text=reply,
        quoted_text=quoted,
        html="\n".join(body.html),
        to=_addresses(fields, "to"),
        cc=_addresses(fields, "cc"),
        reply_to=_addresses(fields, "reply-to"),
        in_reply_to=message_ids(_first(fields, "in-reply-to")),
        references=message_ids(" ".join(fields.get("references", []))),
        date=date(_first(fields, "date")),
        parts=tuple(body.parts),
        automatic=why,
        bounce=bounce(msg, main) if why == "bounce" else None,
        language=language(reply or text),
        problems=tuple(dict.fromkeys(problems)),
    )


def _message(raw: bytes) -> tuple[Message, list[str]]:
    """The MIME tree; the headers alone (the body as one text) when the standard library's
    parser fails on the structure (it raises on some malformed RFC 2231 parameters)."""
    try:
        return BytesParser(policy=policy.compat32).parsebytes(raw), []
    except UNREADABLE as exc:
        headers = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
        return headers, [f"unreadable MIME structure ({exc}): the body read as text"]


def derived_message_id(raw: bytes) -> str:
    """A stable Message-ID for a message that has none (or an absurd one): the same bytes,
    the same id."""
    return f"<{hashlib.sha256(raw).hexdigest()[:32]}@derived.soporte>"


def _first(fields: Fields, name: str) -> str:
    values = fields.get(name)
    return values[0] if values else ""


def _addresses(fields: Fields, name: str) -> tuple[str, ...]:
    return tuple(address for _, address in addresses(fields.get(name, [])))
