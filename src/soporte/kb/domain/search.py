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
from collections.abc import Callable, Mapping, Sequence
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


def snippet(text: str, marked: Callable[[str], bool], *, width: int = SNIPPET_WORDS) -> str:
    """``width`` words of ``text`` around where most of its words ``marked`` (by their folded
    form) are, as safe HTML: escaped, each marked word inside ``<mark>``, "…" where cut."""
    tokens = list(_TOKEN.finditer(text))
    hits = [i for i, t in enumerate(tokens) if marked(_folded(t.group().lower()))]
    start = _best_window(hits, width)
    shown = tokens[start : start + width]
    if not shown:
        return html.escape(text[:200])
    out, at = [], shown[0].start()
    for i, token in enumerate(shown, start):
        out.append(html.escape(text[at : token.start()]))
        word = html.escape(token.group())
        out.append(f"<mark>{word}</mark>" if i in hits else word)
        at = token.end()
    lead = "… " if start > 0 else ""
    tail = " …" if start + width < len(tokens) else html.escape(text[at:])
    return lead + "".join(out) + tail


def _best_window(hits: Sequence[int], width: int) -> int:
    """The first word of the ``width``-word window holding the most of ``hits`` (a little
    before the first of them, so the match reads in its sentence)."""
    best, best_count, j = 0, 0, 0
    for i, first in enumerate(hits):
        while hits[j] < first - width + 1:
            j += 1
        if i - j + 1 > best_count:
            best, best_count = hits[j], i - j + 1
    return max(0, best - 3) if best_count else 0


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
