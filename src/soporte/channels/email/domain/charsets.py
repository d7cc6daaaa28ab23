"""Bytes to text under the charset a message declares, and under the one it really used.

Mailers mislabel: ``us-ascii`` or ``iso-8859-1`` holding UTF-8, charsets no codec knows,
``gb2312`` holding GBK. Bytes that are not ASCII are tried as strict UTF-8 first, then under
the declared charset, then Windows-1252 (a superset of Latin-1's printable range), then
Latin-1, which reads any byte. Pure.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "unknown-8bit": "",
    "x-unknown": "",
}
"""Labels mailers write for a smaller charset than the text's (or for none at all)."""

_GUESSED = frozenset({"ascii", "utf-8", "iso8859-1", "cp1252"})
"""Codecs (by Python's canonical name) whose label often hides another charset: their text is
read as UTF-8, else under the label, else as Windows-1252, else as Latin-1."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    problem: str = ""
    """Why the declared charset was not the one used (empty when it was)."""


def decode_bytes(data: bytes, declared: str) -> Decoded:
    """``data`` as text, ``declared`` the charset the message names (may be empty)."""
    label = declared.strip().strip("\"'").lower()
    codec = _codec(label)
    if data.isascii() and not codec.startswith(_SEVEN_BIT):
        return Decoded(data.decode("ascii"))
    if codec and codec not in _GUESSED:
        for attempt in dict.fromkeys((codec, "utf-8")):
            try:
                return Decoded(data.decode(attempt), _problem(label, codec, attempt))
            except UnicodeDecodeError:
                continue
        return Decoded(data.decode(codec, "replace"), f"invalid {label} bytes replaced")
    for attempt in ("utf-8", codec, "cp1252"):
        if attempt and attempt != "ascii":
            try:
                return Decoded(data.decode(attempt), _problem(label, codec, attempt))
            except UnicodeDecodeError:
                continue
    return Decoded(data.decode("latin-1"), _problem(label, codec, "latin-1"))


def decode_loose(data: bytes) -> str:
    """Raw 8-bit bytes with no declared charset (a header written without RFC 2047)."""
    return decode_bytes(data, "").text


_SEVEN_BIT = ("utf-7", "utf-16", "utf-32", "iso2022", "hz")
"""Codecs that read ASCII bytes as something else (escape sequences, wide units)."""
_NOT_CHARSETS = ("unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined")
"""Text codecs Python knows that no mail is written in."""


def _problem(label: str, codec: str, used: str) -> str:
    if used == codec:
        return ""
    if not label:
        return f"8-bit text without a charset read as {used}"
    if not codec:
        return f"unknown charset {label!r} read as {used}"
    return f"text labelled {label} read as {used}"


def _codec(label: str) -> str:
    """Python's canonical codec name for ``label``; empty when no text codec reads it."""
    label = _SUPERSETS.get(label, label)
    if not label:
        return ""
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return ""
    text = getattr(info, "_is_text_encoding", True) and info.name not in _NOT_CHARSETS
    return info.name if text else ""
