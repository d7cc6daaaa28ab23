"""``sanitize.to_text``: a stored message (sanitised HTML) as an email's plain text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.tickets.sanitize import from_html, from_text, to_text


@given(st.text())
def test_plain_text_comes_back_word_for_word(text: str) -> None:
    assert to_text(from_text(text)).split() == text.split()


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Hola</p><p>Adiós</p>", "Hola\n\nAdiós"),
        ("<p>one<br>two<br/>three</p>", "one\ntwo\nthree"),
        (
            "<p>Steps:</p><ol><li>Open</li><li>Reload</li></ol><p>Done</p>",
            "Steps:\n\n- Open\n- Reload\n\nDone",
        ),
        (
            '<p>See <a href="https://x.example">the docs</a> &amp; &lt;tags&gt;</p>',
            "See the docs & <tags>",
        ),
        ("<blockquote>quoted</blockquote>after", "quoted\n\nafter"),
        ("<script>alert(1)</script><p>ok</p>", "ok"),
    ],
)
def test_html_keeps_its_paragraphs_lines_and_lists(markup: str, text: str) -> None:
    assert to_text(from_html(markup)) == text
