"""A reply as SMS requests: pieces of at most Twilio's 1600 characters per request (Twilio
splits each into the carrier's segments), each headed ``[#<ticket>]`` (``[#<ticket> 2/3]``
when there are several) so the caller knows which call it answers.

A piece breaks at the last paragraph break that fits, else the last line break, else the last
space; only a word longer than a whole piece is cut inside. Pure: no Django, no clock."""

from __future__ import annotations

LIMIT = 1600
"""Characters in one request to Twilio's Messages API."""
_BREAKS = ("\n\n", "\n", " ")


def pieces(text: str, *, ticket: int, limit: int = LIMIT) -> list[str]:
    """``text`` (plain) as the bodies of the SMS that carry it, in order; none for a blank
    text."""
    text = text.strip()
    if not text:
        return []
    if len(_head(ticket, 1, 1)) + len(text) <= limit:
        return [_head(ticket, 1, 1) + text]
    n = 2  # the heads' width depends on the count of pieces: split until it holds
    while True:
        room = limit - len(_head(ticket, n, n))
        if room < 1:
            raise ValueError(f"limit: {limit} leaves no room for a piece's head")
        parts = _split(text, room)
        if len(str(len(parts))) <= len(str(n)):
            break
        n = len(parts)
    return [_head(ticket, i, len(parts)) + part for i, part in enumerate(parts, start=1)]


def _head(ticket: int, i: int, n: int) -> str:
    return f"[#{ticket}] " if n == 1 else f"[#{ticket} {i}/{n}] "


def _split(text: str, room: int) -> list[str]:
    parts = []
    while len(text) > room:
        cut = next((at for sep in _BREAKS if (at := text.rfind(sep, 1, room + 1)) > 0), room)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*parts, text] if text else parts
