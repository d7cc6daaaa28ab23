"""What a ticket says, reduced to the terms the similar-ticket index holds. Pure: no Django.

Spanish and English, as customers write them: accents and case folded, stop words dropped,
each word stemmed by the Snowball stemmer of the text's language (PyStemmer), so "ventas" and
"venta", "showing" and "shows" meet. What the stems miss (typos) the reranking's character
comparison (``soporte.feedback.domain.ranking``) makes up for.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[a-z0-9]+")
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&[a-z]+;|&#[0-9]+;")

_SPANISH_WORDS = """
    a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bien cada
    como con contra cual cuales cuando de del desde donde durante e el ella ellas ellos en entre
    era eran es esa esas ese eso esos esta estaba estado estamos estan estar estas este esto
    estos estoy fue fueron ha hace hacer han has hay he hola la las le les lo los mas me mi mis
    mucho muy nada ni nos nosotros nuestra nuestro o os otra otro para pero poco por porque pues
    que quien se sea ser si sido sin sobre solo son su sus tambien tengo tenemos tiene tienen
    todo todos tu tus un una uno unos usted ustedes va vamos y ya yo gracias favor buenas buenos
    dias tardes saludos ayuda apoyo"""
SPANISH_STOPWORDS = frozenset(_SPANISH_WORDS.split())
_ENGLISH_WORDS = """
    a about after again all am an and any are as at be been before being but by can could
    did do does doing for from had has have having he her here hi hello his how i if in into is
    it its just me more my no of on or our out please she so some than thanks that the their
    them then there these they this those to too up us was we were what when where which while
    who why will with would you your help hey"""
ENGLISH_STOPWORDS = frozenset(_ENGLISH_WORDS.split())
_SPANISH, _ENGLISH = "spanish", "english"
WINDOW = timedelta(days=180)
"""How far back suggestions look (issue 12 §3)."""


def fold(text: str) -> str:
    """``text`` without markup, accents or case: the words, lower-cased ASCII letters and
    digits, one space apart ("¿No aparecen mis VENTAS?" → "no aparecen mis ventas")."""
    plain = _ENTITY.sub(" ", _TAG.sub(" ", text))
    decomposed = unicodedata.normalize("NFKD", plain.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(bare))


def language(words: list[str]) -> str:
    """The Snowball language of ``words``: English when more of them are English stop words
    than Spanish ones, else Spanish (the desk's default)."""
    english = sum(word in ENGLISH_STOPWORDS for word in words)
    spanish = sum(word in SPANISH_STOPWORDS for word in words)
    return _ENGLISH if english > spanish else _SPANISH


@lru_cache(maxsize=2)
def _stemmer(name: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(name)


def stems(text: str, *, snowball: str | None = None) -> list[str]:
    """The stems of ``text``'s words that carry meaning, in order: folded, without stop words
    (of either language) or one-letter words, stemmed in the text's language (``snowball``,
    "spanish" or "english", when the caller knows it, e.g. a knowledge base article's)."""
    words = fold(text).split()
    kept = [
        word
        for word in words
        if len(word) > 1 and word not in SPANISH_STOPWORDS and word not in ENGLISH_STOPWORDS
    ]
    stemmed: list[str] = _stemmer(snowball or language(words)).stemWords(kept)
    return stemmed


def terms(text: str) -> str:
    """What the index holds for ``text``: its distinct stems, space-separated, in order."""
    return " ".join(dict.fromkeys(stems(text)))
