"""The survey's reply buttons as WhatsApp takes them (``domain.survey``): ids that carry the
answer and the token and read back, and the limits of an interactive message."""

from __future__ import annotations

import pytest
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from soporte.channels import csat
from soporte.channels.whatsapp.domain.survey import Press, button_id, buttons_message, read_press

TOKEN = "12-34:sqxd2Hs7HhkuozAF4tTdFZBGoTr2eRBfIIdStbkaE1Y"


@pytest.mark.parametrize(
    ("reply_id", "press"),
    [
        (f"csat:up:{TOKEN}", Press("up", TOKEN)),
        (f"csat:neutral:{TOKEN}", Press("neutral", TOKEN)),
        ("csat:down:", Press("down", "")),
        ("csat:", Press("", "")),
        ("csat", None),
        ("menu:1", None),
        ("", None),
        (f"CSAT:up:{TOKEN}", None),
    ],
)
def test_a_reply_id_reads_as_a_survey_press_only_with_its_prefix(
    reply_id: str, press: Press | None
) -> None:
    assert read_press(reply_id) == press


@given(
    answer=st.sampled_from(["up", "neutral", "down"]),
    token=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=200),
)
def test_a_button_id_reads_back_as_its_answer_and_token(answer: str, token: str) -> None:
    assert read_press(button_id(answer, token)) == Press(answer, token)


def test_a_button_id_over_whatsapps_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="256"):
        button_id("up", "x" * 250)


@pytest.mark.parametrize(
    ("buttons", "body", "error"),
    [
        ([], "¿Qué tal?", "1 to 3"),
        ([("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")], "¿Qué tal?", "1 to 3"),
        ([("a", "1"), ("a", "2")], "¿Qué tal?", "differ"),
        ([("a", "x" * 21)], "¿Qué tal?", "1 to 20"),
        ([("a", "")], "¿Qué tal?", "1 to 20"),
        ([("a", "1")], " ", "body"),
        ([("a", "1")], "x" * 1025, "body"),
    ],
)
def test_a_message_outside_whatsapps_limits_is_refused(
    buttons: list[tuple[str, str]], body: str, error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        buttons_message("5218126982507", body=body, buttons=buttons)


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_answers_labels_fit_a_button_in_every_language(language: str) -> None:
    with override(language):
        labels = csat.buttons()
    assert [answer for answer, _label in labels] == ["up", "neutral", "down"]
    assert all(0 < len(label) <= 20 for _answer, label in labels)
