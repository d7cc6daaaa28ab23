"""Folding and stemming what tickets say (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.feedback.domain import wording


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("¿No aparecen mis VENTAS?", "no aparecen mis ventas"),
        ("Máquina sin conexión, año 2026", "maquina sin conexion ano 2026"),
        ("<p>El lector&nbsp;<b>rechaza</b></p>", "el lector rechaza"),
        ("CAFÉ   café\ncafe", "cafe cafe cafe"),
        ("", ""),
    ],
)
def test_fold_drops_accents_case_markup_and_punctuation(text: str, folded: str) -> None:
    assert wording.fold(text) == folded


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("no me llegan las ventas", "NO APARECEN MIS VENTAS desde ayer"),
        ("la máquina no reporta telemetría", "maquina sin telemetria"),
        ("sales not showing", "my sale is not shown"),
        ("Facturación", "facturas"),
    ],
)
def test_paraphrases_share_a_stem(one: str, other: str) -> None:
    assert set(wording.stems(one)) & set(wording.stems(other))


def test_stop_words_of_either_language_are_left_out() -> None:
    assert wording.stems("the de la and que for") == []
    assert wording.terms("ventas, venta y VENTAS") == "vent"


def test_the_language_follows_the_stop_words() -> None:
    assert wording.language(["the", "sales", "are", "not", "showing"]) == "english"
    assert wording.language(["las", "ventas", "no", "aparecen"]) == "spanish"
    assert wording.language(["ventas"]) == "spanish"


@given(st.text(max_size=200))
def test_fold_is_stable_and_plain(text: str) -> None:
    folded = wording.fold(text)
    assert wording.fold(folded) == folded
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in folded)
    assert all(term.isascii() for term in wording.terms(text).split())
