"""Header values read as a person reads them: RFC 2047 encoded words in any charset (adjacent
words of one charset joined before decoding, so a character split between two words survives),
raw 8-bit bytes, addresses, Message-IDs and dates. Pure.

The parser (``email`` with the ``compat32`` policy) hands header values over as ``str`` whose
8-bit bytes are surrogate escapes; :func:`header_text` turns them back into bytes and decodes
them (UTF-8, else Windows-1252, else Latin-1).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime

from soporte.channels.email.domain.charsets import decode_bytes, decode_loose
from soporte.text import one_line

_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"[ \t\r\n]*")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_QP_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")


def header_text(value: object) -> str:
    """A header value as text: raw 8-bit bytes decoded, encoded words decoded, unfolded."""
    return _decode_words(_unfolded(value))


def _unfolded(value: object) -> str:
    """The value unfolded, its raw 8-bit bytes decoded (encoded words left as they are)."""
    text = str(value)
    if not text.isascii():
        try:
            text = decode_loose(text.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:  # a lone surrogate that no byte stands for
            text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\r", "").replace("\n", "")


def one_line_header(value: object) -> str:
    """A header shown as one line (a subject, a display name)."""
    return one_line(header_text(value))


def _decode_words(value: str) -> str:
    if "=?" not in value:
        return value
    out: list[str] = []
    pending: list[bytes] = []
    pending_charset = ""
    position = 0
    for match in _WORD.finditer(value):
        gap = value[position : match.start()]
        charset = match.group(1).split("*", 1)[0].lower()  # RFC 2231 language suffix
        adjacent = position > 0 and _BETWEEN_WORDS.fullmatch(gap)  # RFC 2047 §6.2: no space
        if not (adjacent and charset == pending_charset):
            _flush(out, pending, pending_charset)
            pending = []
            out.append("" if adjacent else gap)
        pending.append(_word_bytes(match.group(2), match.group(3)))
        pending_charset = charset
        position = match.end()
    _flush(out, pending, pending_charset)
    out.append(value[position:])
    return "".join(out)


def _flush(out: list[str], pending: list[bytes], charset: str) -> None:
    if pending:
        out.append(decode_bytes(b"".join(pending), charset).text)


def _word_bytes(encoding: str, text: str) -> bytes:
    data = text.encode("ascii", "replace")
    if encoding in "bB":  # what is left of the alphabet, padded: it always decodes
        data = _NOT_BASE64.sub(b"", data)
        data = data[:-1] if len(data) % 4 == 1 else data
        return base64.b64decode(data + b"=" * (-len(data) % 4))
    return _QP_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), data.replace(b"_", b" "))


_ATOM = r"[^\s<>()\[\],;:\\\"@]+"
_SIMPLE = re.compile(
    rf"\s*(?:(?P<bare>{_ATOM}@{_ATOM})|(?:\"?(?P<name>[^<>()\[\],;:\\\"@]*?)\"?\s*)?"
    rf"<(?P<angled>{_ATOM}@{_ATOM})>)\s*"
)
"""``a@b.c``, ``Name <a@b.c>`` or ``"Name" <a@b.c>``, with nothing RFC 5322 makes subtle."""


def addresses(values: Sequence[object]) -> list[tuple[str, str]]:
    """``(display name, lower-cased addr-spec)`` of each address in the header values; an
    entry without an ``@`` is left out (it is no address)."""
    texts = [_unfolded(v) for v in values]
    simple = [_SIMPLE.fullmatch(t) for t in texts]
    if all(simple):  # one plain address each, the usual case: no full RFC 5322 parse
        pairs = [(m["name"] or "", m["angled"] or m["bare"]) for m in simple if m]
    else:
        pairs = getaddresses(texts)
    return [(one_line(_decode_words(name)), addr.lower()) for name, addr in pairs if "@" in addr]


_ID = re.compile(r"<([^<>\s]+)>")


def message_ids(value: object) -> tuple[str, ...]:
    """The Message-IDs in an ``In-Reply-To``/``References``/``Message-ID`` value, each in
    ``<…>`` form (bare ids, with an ``@``, are bracketed)."""
    text = header_text(value)
    found = [f"<{m}>" for m in _ID.findall(text)]
    if not found:
        found = [f"<{t.strip('<>')}>" for t in text.split() if "@" in t]
    return tuple(found)


def date(value: object) -> datetime | None:
    """The ``Date`` as an aware datetime (no zone, ``-0000``, read as UTC), or ``None``."""
    text = header_text(value).strip()
    if not text:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
