"""The rules of knowledge base search that need no database. Pure: no Django.

A query becomes its folded words that carry meaning (``soporte.feedback.domain.wording``:
accents and case folded, stop words of either language dropped) and their Snowball stems in
the article language. From those come the engines' questions (an FTS5 ``MATCH`` expression, a
PostgreSQL ``tsquery``), the spelling corrections (the nearest word of the index's vocabulary)
and the snippets (safe HTML: everything escaped but the ``<mark>`` around matched words).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from soporte.feedback.domain.wording import ENGLISH_STOPWORDS, SPANISH_STOPWORDS, fold, stems

SNOWBALL = {"es": "spanish", "en": "english"}
"""The Snowball stemmer (and PostgreSQL configuration) of each article language."""
MAX_WORDS = 12
"""How many of a query's words are searched: a pasted paragraph asks about its beginning."""
MAX_WORD = 40
"""Longer "words" (a pasted token, a URL's remains) are no words anyone searches for."""
PREFIX_MIN = 3
"""The last word of a query is also a prefix ("contras" finds "contraseña": the customer is
still typing) when it has at least this many letters."""
SIMILARITY = 75.0
"""How alike (rapidfuzz ``ratio``, 0-100) a misspelt word and its correction must be:
"pasword"/"password" 93, "registar"/"registrar" 94, "contrasens"/"contrasena" 90."""
SNIPPET_WORDS = 30
"""How many words a snippet shows."""
MARK, UNMARK = "\ue000", "\ue001"
"""Private-use characters an engine puts around a matched word (PostgreSQL ``ts_headline``);
the index's text never holds them, so they can only be the engine's."""
_TOKEN = re.compile(r"[^\W_]+")
_STOPWORDS = SPANISH_STOPWORDS | ENGLISH_STOPWORDS


@dataclass(frozen=True, slots=True)
class Terms:
    """What a query asks: its ``words`` (folded, each with its stem in ``stems``) and whether
    the last word is also a prefix."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    prefix: bool

    def __bool__(self) -> bool:
        return bool(self.words)


def snowball(language: str) -> str:
    """The Snowball name of ``language`` ("es", "en"); ``ValueError`` naming the field else."""
    try:
        return SNOWBALL[language]
    except KeyError:
        raise ValueError(f"language: {language!r} is not one of {', '.join(SNOWBALL)}") from None


def terms(query: str, *, language: str) -> Terms:
    """The words ``query`` searches in ``language``: folded, meaningful, distinct, at most
    ``MAX_WORDS``. Punctuation and search syntax (``"AND (``) are no words: they ask nothing."""
    words = tuple(dict.fromkeys(w for w in fold(query).split() if _meaningful(w)))[:MAX_WORDS]
    prefix = bool(words) and len(words[-1]) >= PREFIX_MIN and not query[-1:].isspace()
    return Terms(words, tuple(stem(w, language) for w in words), prefix)


def _meaningful(word: str) -> bool:
    return 1 < len(word) <= MAX_WORD and word not in _STOPWORDS


@lru_cache(maxsize=1 << 16)
def stem(word: str, language: str) -> str:
    """The stem of one folded ``word`` in ``language`` (cached: snippets stem every word of an
    article, and an article's words repeat)."""
    found = stems(word, snowball=SNOWBALL[language])
    return found[0] if found else word


def fts5_match(found: Terms, *, any_word: bool = False) -> str:
    """The FTS5 ``MATCH`` expression for ``found``: each word in the text columns (accents
    removed by the tokenizer) or its stem in the stem columns; every word, or ``any_word``."""
    parts = []
    for i, (word, stemmed) in enumerate(zip(found.words, found.stems, strict=True)):
        star = "*" if found.prefix and i == len(found.words) - 1 else ""
        parts.append(
            f'({{title text}} : "{word}"{star} OR {{title_stems text_stems}} : "{stemmed}")'
        )
    return (" OR " if any_word else " AND ").join(parts)


def tsquery(found: Terms, *, any_word: bool = False) -> str:
    """The ``to_tsquery`` text for ``found`` (PostgreSQL stems each word with the article
    language's configuration): every word, or ``any_word``; the last one as a prefix too."""
    parts = list(found.words)
    if found.prefix:
        parts[-1] = f"({parts[-1]} | {parts[-1]}:*)"
    return (" | " if any_word else " & ").join(parts)


def vocabulary_words(text: str) -> dict[str, str]:
    """The words of ``text`` a misspelling may be corrected to: folded word → its spelling in
    the text (lower case, accents kept: "contraseña"), numbers and stop words left out."""
    found: dict[str, str] = {}
    for token in set(_TOKEN.findall(text.lower())):
        word = _folded(token)
        if len(word) >= PREFIX_MIN and _meaningful(word) and not word.isdigit():
            found.setdefault(word, token)
    return found


@lru_cache(maxsize=1 << 16)
def _folded(token: str) -> str:
    return fold(token)


def nearest(word: str, vocabulary: Sequence[str]) -> str | None:
    """The word of ``vocabulary`` (most used first) nearest ``word``, if alike enough."""
    best = process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=SIMILARITY)
    return None if best is None else str(best[0])


def snippet(text: str, found: Terms, *, language: str, width: int = SNIPPET_WORDS) -> str:
    """``width`` words of ``text`` where most of the words ``found`` asks are, as safe HTML:
    escaped, each such word inside ``<mark>``, "…" where cut. Only the words a pattern of the
    stems' beginnings picks out are stemmed, and only the window is cut into words: an
    article's thousand words cost one regular-expression scan."""
    hits = [
        m.span() for m in _candidates(found).finditer(text) if _asked(m.group(), found, language)
    ]
    start = _window_start(text, [s for s, _ in hits], width)
    marked = dict(hits)
    out: list[str] = []
    at, shown = start, 0
    for token in _TOKEN.finditer(text, start):
        if shown == width:
            return _lead(start) + headline("".join(out)) + " …"
        begin, end = token.span()
        out.append(text[at:begin])
        out.append(f"{MARK}{token.group()}{UNMARK}" if begin in marked else token.group())
        at, shown = end, shown + 1
    return _lead(start) + headline("".join(out) + text[at:])


_LETTERS = {
    "a": "aáàâäã",
    "e": "eéèêë",
    "i": "iíìîï",
    "o": "oóòôöõ",
    "u": "uúùûü",
    "n": "nñ",
    "c": "cç",
}


@lru_cache(maxsize=256)
def _candidates(found: Terms) -> re.Pattern[str]:
    """A pattern for the words that may be ``found``'s: those beginning as one of its stems
    does (less its last letter, which a stemmer may have changed: "happy" → "happi"), accents
    and case aside."""
    beginnings = {st[:-1] if len(st) > 3 else st for st in found.stems}
    if found.prefix:
        beginnings.add(found.words[-1])
    alternatives = "|".join(
        "".join(f"[{_LETTERS[c]}]" if c in _LETTERS else re.escape(c) for c in b)
        for b in sorted(beginnings)
    )
    return re.compile(rf"\b(?:{alternatives})[^\W_]*", re.IGNORECASE)


def _asked(token: str, found: Terms, language: str) -> bool:
    word = _folded(token.lower())
    if found.prefix and word.startswith(found.words[-1]):
        return True
    return stem(word, language) in found.stems


def _window_start(text: str, hits: Sequence[int], width: int) -> int:
    """Where the window of about ``width`` words holding the most ``hits`` (positions) begins:
    a few words before the first of them, so the match reads in its sentence; the beginning
    when that is near."""
    span = width * 6
    best, best_count, j = 0, 0, 0
    for i, last in enumerate(hits):
        while hits[j] < last - span:
            j += 1
        if i - j + 1 > best_count:
            best, best_count = hits[j], i - j + 1
    if best < span // 2:
        return 0  # near enough the beginning to show it
    before = [m.start() for m in _TOKEN.finditer(text, best - span // 2, best)]
    return before[-3] if len(before) >= 3 else best


def _lead(start: int) -> str:
    return "… " if start > 0 else ""


def headline(marked_text: str) -> str:
    """An engine's headline (matched words between ``MARK`` and ``UNMARK``) as safe HTML."""
    escaped = html.escape(marked_text)
    return escaped.replace(MARK, "<mark>").replace(UNMARK, "</mark>")


def unmarkable(text: str) -> str:
    """``text`` without the characters that stand for a mark."""
    return text.replace(MARK, "").replace(UNMARK, "")


def replaced(found: Terms, words: Mapping[str, str], language: str) -> Terms:
    """``found`` with each word replaced by its correction in ``words`` (folded), whole
    words all (a corrected word is no prefix)."""
    new = tuple(dict.fromkeys(words.get(w, w) for w in found.words))
    return Terms(new, tuple(stem(w, language) for w in new), prefix=False)


def corrected(query: str, spellings: Mapping[str, str]) -> str:
    """``query`` as corrected, to show ("Showing results for …"): each of its words whose
    folded form has a correction in ``spellings`` replaced by that spelling."""

    def spelt(token: re.Match[str]) -> str:
        return spellings.get(_folded(token.group().lower()), token.group())

    return " ".join(_TOKEN.sub(spelt, query).split())
