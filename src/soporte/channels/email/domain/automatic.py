"""Mail no person wrote: auto-replies, lists and bulk mail, bounces (RFC 3834, RFC 2369/2919,
RFC 3464, and the headers common mailers set instead). Such mail never opens a ticket and is
never answered. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from email.message import Message
from email.parser import HeaderParser

from soporte.channels.email.domain.body import parameter, part_text
from soporte.channels.email.domain.headers import header_text, message_ids
from soporte.channels.email.domain.parts import Bounce

Fields = Mapping[str, Sequence[str]]
"""A message's header values by lower-cased name, in order."""

_DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")
_AUTOREPLY_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder")
_KEYWORD = re.compile(r"\s*([^\s;(]*)")
"""The keyword before any parameters or comment (``auto-replied; x=y``, ``no (comment)``)."""
_SUPPRESSED = frozenset({"all", "oof", "autoreply"})


def automatic(fields: Fields, msg: Message, sender: str) -> str:
    """Why the message is automatic (``bounce``, ``report``, ``auto-submitted``,
    ``autoreply``, ``precedence``, ``list``), or empty for a message a person wrote.
    ``sender`` is the ``From`` header's text."""
    if msg.get_content_type() == "multipart/report":
        report = parameter(msg, "report-type").lower()
        return "bounce" if report in {"", "delivery-status"} and _failed(msg) else "report"
    local = sender.lower()
    if any(daemon in local for daemon in _DAEMONS):
        return "bounce"
    if _keyword(_first(fields, "auto-submitted")) not in {"", "no"}:
        return "auto-submitted"
    if any(_first(fields, name) for name in _AUTOREPLY_HEADERS):
        return "autoreply"
    suppress = {v.strip().lower() for v in _first(fields, "x-auto-response-suppress").split(",")}
    if suppress & _SUPPRESSED:
        return "autoreply"
    if _first(fields, "precedence").strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return "precedence"
    if _first(fields, "list-id") or _first(fields, "list-unsubscribe"):
        return "list"
    return ""


def bounce(msg: Message, text: str) -> Bounce:
    """Whose address failed, why, and for which message: from an RFC 3464 report's parts, else
    from a mailer-daemon's human ``text``."""
    status: dict[str, str] = {}
    original = ""
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status" and not status:
            status = _recipient_status(part)
        elif kind == "message/rfc822" and not original:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                original = next(iter(message_ids(inner[0].get("Message-ID", ""))), "")
        elif kind == "text/rfc822-headers" and not original:
            headers = HeaderParser().parsestr(part_text(part, []))
            original = next(iter(message_ids(headers.get("Message-ID", ""))), "")
    recipient = _address(status.get("final-recipient") or status.get("original-recipient", ""))
    reason = _diagnostic(status.get("diagnostic-code", "")) or status.get("status", "")
    return Bounce(
        recipient=recipient or _text_recipient(text),
        reason=reason or _text_reason(text),
        original_message_id=original or _text_message_id(text),
    )


def _first(fields: Fields, name: str) -> str:
    values = fields.get(name)
    return header_text(values[0]) if values else ""


def _failed(report: Message) -> bool:
    """Whether a delivery report says a delivery failed (not only delayed or delivered)."""
    actions = [
        block.get("Action", "").strip().lower()
        for part in report.walk()
        if part.get_content_type() == "message/delivery-status"
        for block in _blocks(part)
    ]
    return not any(actions) or "failed" in actions


def _recipient_status(part: Message) -> dict[str, str]:
    """The first failed recipient's fields (lower-cased names) of a delivery-status part."""
    recipients = [b for b in _blocks(part) if "Final-Recipient" in b or "Original-Recipient" in b]
    chosen = next((b for b in recipients if b.get("Action", "").lower() == "failed"), None)
    chosen = chosen or (recipients[0] if recipients else None)
    if chosen is None:
        return {}
    return {name.lower(): " ".join(header_text(value).split()) for name, value in chosen.items()}


def _blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    text = part_text(part, [])
    return [HeaderParser().parsestr(chunk) for chunk in re.split(r"\n\s*\n", text) if chunk]


def _address(value: str) -> str:
    """``rfc822; x@y`` → ``x@y``."""
    return value.rpartition(";")[2].strip().strip("<>").lower()


def _diagnostic(value: str) -> str:
    """``smtp; 550 5.1.1 No such user`` → ``550 5.1.1 No such user``."""
    kind, sep, rest = value.partition(";")
    return rest.strip() if sep and kind.strip().isalpha() else value.strip()


_EMAIL = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+")
_SMTP_REPLY = re.compile(r"\b[45]\d\d\b[ -].*|\b[45]\.\d{1,3}\.\d{1,3}\b.*")
_MESSAGE_ID = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)


def _text_recipient(text: str) -> str:
    for match in _EMAIL.finditer(text):
        address = match.group(0).lower()
        if not address.startswith(_DAEMONS):
            return address
    return ""


def _text_reason(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    reply = next((m.group(0) for line in lines if (m := _SMTP_REPLY.search(line))), "")
    return reply.strip() or (lines[0] if lines else "")


def _text_message_id(text: str) -> str:
    match = _MESSAGE_ID.search(text)
    return match.group(1) if match else ""


def _keyword(value: str) -> str:
    match = _KEYWORD.match(value)
    return match.group(1).lower() if match else ""
