"""A message's MIME tree read as a mail client shows it: the plain-text and HTML bodies from
any nesting (``multipart/alternative`` inside ``multipart/related`` inside
``multipart/mixed``…), the attachments and ``cid:`` images, forwarded messages
(``message/rfc822``) as forwarded text with their attachments kept. Pure.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from email.message import Message
from email.utils import collapse_rfc2231_value

from soporte.channels.email.domain.charsets import decode_bytes
from soporte.channels.email.domain.headers import one_line_header
from soporte.channels.email.domain.markup import html_text
from soporte.channels.email.domain.parts import Part
from soporte.channels.email.domain.uuencode import take_files

MAX_DEPTH = 20
"""Deeper nesting (a forward of a forward of …) is not read: only a crafted message has it."""

_FORWARD_HEADERS = ("From", "Date", "Subject", "To", "Cc")
UNREADABLE = (ValueError, LookupError, TypeError, IndexError, AttributeError, AssertionError)
"""What the standard library's MIME accessors raise on a malformed part."""


@dataclass(slots=True)
class Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    forwarded: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def text(self) -> str:
        """What a person reads: the plain text, else the HTML's text."""
        plain = "\n\n".join(p for p in self.plain if p.strip())
        return plain or html_text("\n".join(self.html))

    def absorb(self, other: Body) -> None:
        self.parts += other.parts
        self.forwarded += other.forwarded
        self.problems += other.problems


def read_body(msg: Message) -> Body:
    body = Body()
    _walk(msg, body, 0)
    return body


def part_text(part: Message, problems: list[str]) -> str:
    """A leaf part's text under its charset (or the one it really used), with LF line ends."""
    decoded = decode_bytes(_payload(part), parameter(part, "charset"))
    if decoded.problem:
        problems.append(decoded.problem)
    return decoded.text.replace("\r\n", "\n").replace("\r", "\n")


def parameter(part: Message, name: str) -> str:
    """A ``Content-Type`` parameter's value; empty when absent or unreadable."""
    try:
        value = part.get_param(name)
    except UNREADABLE:  # e.g. RFC 2231 continuations without numbers
        return ""
    return str(collapse_rfc2231_value(value)) if value else ""


def _walk(part: Message, body: Body, depth: int) -> None:
    if depth > MAX_DEPTH:
        body.problems.append(f"parts nested deeper than {MAX_DEPTH} levels were not read")
        return
    kind = part.get_content_type()
    body.problems += [f"{type(d).__name__} in {kind}" for d in part.defects]
    try:
        _read(part, kind, body, depth)
    except UNREADABLE as exc:
        body.problems.append(f"unreadable {kind} part: {exc}")


def _read(part: Message, kind: str, body: Body, depth: int) -> None:
    payload = part.get_payload()
    if part.is_multipart() and isinstance(payload, list):
        children = [child for child in payload if isinstance(child, Message)]
        if kind == "message/rfc822" and children:
            _forward(children[0], body, depth)
        elif kind == "multipart/alternative":
            _alternative(children, body, depth)
        else:
            for child in children:
                _walk(child, body, depth + 1)
        return
    if kind.startswith("multipart/"):  # its boundary never came
        body.problems.append(f"{kind} without its boundary read as text")
        _text(part, "text/plain", body)
        return
    disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
    filename = _filename(part)
    if kind in {"text/plain", "text/html"} and disposition != "attachment" and not filename:
        _text(part, kind, body)
    else:
        content_id = one_line_header(part.get("Content-ID", "")).strip("<> ")
        body.parts.append(
            Part(
                filename=filename or _name(kind, len(body.parts) + 1),
                content_type=kind,
                data=_payload(part),
                content_id=content_id,
                inline=bool(content_id) and disposition != "attachment",
            )
        )


def _text(part: Message, kind: str, body: Body) -> None:
    text = part_text(part, body.problems)
    if kind == "text/html":
        body.html.append(text)
        return
    text, files = take_files(text)
    body.plain.append(text)
    body.parts += files


def _alternative(children: list[Message], body: Body, depth: int) -> None:
    """One of the alternatives: the plain text from the first that has it, the HTML from the
    last that has it (the richest); the attachments of all (a ``related`` one's images)."""
    readings = []
    for child in children:
        reading = Body()
        _walk(child, reading, depth + 1)
        body.absorb(reading)
        readings.append(reading)
    body.plain += next((r.plain for r in readings if any(p.strip() for p in r.plain)), [])
    body.html += next((r.html for r in reversed(readings) if r.html), [])


def _forward(inner: Message, body: Body, depth: int) -> None:
    forwarded = Body()
    _walk(inner, forwarded, depth + 1)
    body.absorb(forwarded)
    lines = ["---------- Forwarded message ----------"]
    for name in _FORWARD_HEADERS:
        value = one_line_header(inner.get(name, ""))
        if value:
            lines.append(f"{name}: {value}")
    text = "\n".join(lines) + "\n\n" + forwarded.text()
    body.forwarded.insert(len(body.forwarded) - len(forwarded.forwarded), text.strip())


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _filename(part: Message) -> str:
    try:
        return one_line_header(part.get_filename() or "")
    except UNREADABLE:  # e.g. RFC 2231 continuations without numbers
        return ""


def _name(kind: str, number: int) -> str:
    extension = mimetypes.guess_extension(kind, strict=False) or ".bin"
    return f"part-{number}{extension}"
