"""A target in plain words, for people: never the policy's shorthand ("5 bd", "4 bh", "same bd")."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from soporte.sla.explain import target_words


@pytest.mark.parametrize(
    ("text", "spanish", "english"),
    [
        ("5 bd", "5 días hábiles", "5 business days"),
        ("1 bd", "1 día hábil", "1 business day"),
        ("4 bh", "4 horas hábiles", "4 business hours"),
        ("1 bh", "1 hora hábil", "1 business hour"),
        ("1 h 30 min", "1 hora 30 minutos", "1 hour 30 minutes"),
        ("15 min", "15 minutos", "15 minutes"),
        ("15 min 24/7", "15 minutos, las 24 horas", "15 minutes, around the clock"),
        ("7 d 24/7", "7 días, las 24 horas", "7 days, around the clock"),
        ("same bd", "el mismo día hábil", "the same business day"),
        ("same business day", "el mismo día hábil", "the same business day"),
        ("1.5 bd", "1.5 días hábiles", "1.5 business days"),
    ],
)
def test_targets_in_spanish_and_english(text: str, spanish: str, english: str) -> None:
    with override("es-mx"):
        assert target_words(text) == spanish
    with override("en"):
        assert target_words(text) == english


def test_a_text_that_is_not_a_duration_is_shown_as_it_is() -> None:
    with override("en"):
        assert target_words("soon") == "soon"
