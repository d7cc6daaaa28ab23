"""One-line text: what a ticket's subject (and any other one-line field) holds, and what an
email header carries. Pure: no Django.

A line break in a subject once made every email built from it fail (Django refuses a header
with CR or LF), so intake stores one clean line and every email header is built from one.
"""

from __future__ import annotations

import re
import unicodedata

_JOINERS = "\u200c\u200d"
"""Zero-width (non-)joiners: invisible alone, but part of emoji sequences and some scripts;
kept inside the text, dropped at its ends."""
_SPACES = re.compile(r"\s+")


def one_line(value: str, *, limit: int | None = None) -> str:
    """``value`` as one line: control characters (CR, LF, tab, NUL…) and every run of
    whitespace become one space, invisible format characters (zero-width space, BOM, soft
    hyphen, bidi overrides…) are dropped but for the joiners, and the ends are trimmed; at
    most ``limit`` characters. Stable: ``one_line(one_line(x)) == one_line(x)``."""
    if limit is not None:
        return one_line(one_line(value)[:limit])
    if value.isprintable() and "  " not in value and value == value.strip(" "):
        return value  # the usual subject, at C speed
    kept = []
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cc":
            kept.append(" ")
        elif category != "Cf" or ch in _JOINERS:
            kept.append(ch)
    folded = _SPACES.sub(" ", "".join(kept))
    return folded.strip(" " + _JOINERS)


def is_blank(value: str) -> bool:
    """Whether ``value`` shows nothing: only whitespace, controls and invisible characters."""
    return not one_line(value)
