"""One-line text (``soporte.text``): what intake stores in a subject and what every email
header carries. Pure; tested to the edges and with hypothesis."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.text import is_blank, one_line

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e\u2066"


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("Dashboard broken", "Dashboard broken"),
        ("Dashboard\nbroken", "Dashboard broken"),
        ("  Dashboard \r\n\t broken  ", "Dashboard broken"),
        ("a\x00b\x1bc\x7fd\x85e", "a b c d e"),
        ("a\u2028b\u2029c\u00a0d\u3000e", "a b c d e"),
        ("Bcc: x@y\r\nSubject: z", "Bcc: x@y Subject: z"),
        ("\u200bhidden\u2060 text\ufeff", "hidden text"),
        ("🧑\u200d💻 no carga", "🧑\u200d💻 no carga"),
        ("\u200d\u200cx\u200d", "x"),
        ("", ""),
    ],
)
def test_one_line_folds_controls_and_whitespace_and_drops_invisibles(raw: str, line: str) -> None:
    assert one_line(raw) == line


@pytest.mark.parametrize("raw", ["", " ", "\n\t", "\u200b", f"  {INVISIBLE} \r\n", "\x00\x1f"])
def test_text_with_nothing_visible_is_blank(raw: str) -> None:
    assert is_blank(raw)
    assert one_line(raw) == ""


@pytest.mark.parametrize("raw", ["x", " . ", "\u200bñ", "🧑\u200d💻"])
def test_text_with_something_visible_is_not_blank(raw: str) -> None:
    assert not is_blank(raw)


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_one_line_is_one_clean_line_and_stable(raw: str) -> None:
    line = one_line(raw)
    assert line == one_line(line)
    assert "  " not in line
    assert line == line.strip()
    for ch in line:
        category = unicodedata.category(ch)
        assert category not in ("Cc", "Zl", "Zp")
        assert ch == " " or not ch.isspace()
        assert category != "Cf" or ch in "\u200c\u200d"
    assert is_blank(raw) == (line == "")


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S"])))
def test_one_line_keeps_ordinary_text_as_is(words: str) -> None:
    assert one_line(words) == words
