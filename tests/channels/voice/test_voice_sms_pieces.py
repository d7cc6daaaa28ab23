"""``voice.domain.sms.pieces``: a reply as SMS bodies within Twilio's 1600 characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.channels.voice.domain.sms import pieces


def test_a_short_reply_is_one_piece_headed_with_the_ticket() -> None:
    assert pieces("  Hola, ya quedó  ", ticket=41) == ["[#41] Hola, ya quedó"]
    assert pieces(" \n ", ticket=41) == []


def test_a_piece_ends_at_a_paragraph_then_a_line_then_a_word() -> None:
    text = "uno dos\ntres cuatro\n\ncinco seis"
    assert pieces(text, ticket=1, limit=32) == [
        "[#1 1/2] uno dos\ntres cuatro",
        "[#1 2/2] cinco seis",
    ]
    assert pieces("uno dos tres cuatro", ticket=1, limit=20) == [
        "[#1 1/2] uno dos",
        "[#1 2/2] tres cuatro",
    ]


def test_only_a_word_longer_than_a_piece_is_cut() -> None:
    assert pieces("a" * 25, ticket=1, limit=20) == [
        "[#1 1/3] " + "a" * 11,
        "[#1 2/3] " + "a" * 11,
        "[#1 3/3] " + "aaa",
    ]


def test_a_limit_with_no_room_for_the_head_is_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        pieces("a" * 30, ticket=123456, limit=12)


@given(
    st.lists(st.text(alphabet="abcñ \n", min_size=1, max_size=30), max_size=200),
    st.integers(1, 10**6),
    st.integers(40, 1600),
)
def test_every_piece_fits_and_no_word_is_lost(chunks: list[str], ticket: int, limit: int) -> None:
    text = "".join(chunks)
    bodies = pieces(text, ticket=ticket, limit=limit)
    assert all(len(b) <= limit for b in bodies)
    n = len(bodies)
    heads = [f"[#{ticket}] "] if n == 1 else [f"[#{ticket} {i}/{n}] " for i in range(1, n + 1)]
    assert all(b.startswith(h) for b, h in zip(bodies, heads, strict=True))
    rejoined = " ".join(b[len(h) :] for b, h in zip(bodies, heads, strict=True))
    if all(len(word) < limit // 2 for word in text.split()):  # no word cut inside
        assert rejoined.split() == text.split()
