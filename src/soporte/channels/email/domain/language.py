"""Whether a text is Spanish or English, when it says so clearly: a count of each language's
commonest words (articles, pronouns, prepositions), which no word of the other shares. Pure."""

from __future__ import annotations

import re

_SPANISH_WORDS = (
    "el la los las un una unos unas del al que de y en es por para con sin pero como más muy "
    "está están esta este estos sí se su sus mi mis nos hola gracias favor buenos buenas días "
    "tardes cuando desde hasta también ya hay sigue funciona puede pueden tengo tenemos hace "
    "qué cómo dónde porque pero o u ni le les lo me te yo usted ustedes nuestro nuestra"
)
_SPANISH = frozenset(_SPANISH_WORDS.split())
_ENGLISH_WORDS = (
    "the an and of to in is are was were for with without but as not it its this that these "
    "those my our your we you they she i us them hello hi thanks thank please when from "
    "until also there have has had can could does do did what how where because or on at by be "
    "been will would should working works still"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 3
"""Fewer telling words than this is no clear sign."""
SAMPLE = 5_000
"""Characters read: the start of a text says its language as well as the whole."""


def language(text: str) -> str:
    """``es`` or ``en`` when one language's words clearly outnumber the other's, else empty."""
    spanish = english = 0
    for word in _WORD.findall(text[:SAMPLE].lower()):
        spanish += word in _SPANISH
        english += word in _ENGLISH
    if max(spanish, english) < MIN_WORDS:
        return ""
    if spanish >= 2 * english:
        return "es"
    return "en" if english >= 2 * spanish else ""
