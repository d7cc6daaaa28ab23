"""Searching the knowledge base: one interface over SQLite FTS5 (``kb.search.sqlite``) and
PostgreSQL full-text (``kb.search.postgres``), picked by the connection's vendor.

``search`` answers the articles of one language that match a query, best first, each with a
snippet where the matched words are highlighted (``<mark>``); ``find`` also says how many match
and whether the query was corrected. Accents and case never matter, words meet their other
forms (stems), and the last word is also a prefix (the customer may still be typing). When
every word together finds nothing, each word the index has never seen is corrected to the
nearest word of its vocabulary ("contrasena" → "contraseña", "pasword" → "password") and the
search runs again; when that still finds nothing, any of the words will do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from django.db import connection

from soporte.feedback.domain.wording import fold
from soporte.kb.domain import search as rules
from soporte.kb.models import SearchWord, Status
from soporte.kb.search import postgres, sqlite

MAX_QUERY = 200
"""The longest query a search box takes (public pages, portal, widget, console)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One article found: its key, language, title, slug and a snippet (safe HTML)."""

    article_id: int
    language: str
    title: str
    slug: str
    snippet: str


@dataclass(frozen=True, slots=True)
class Results:
    """A page of hits, how many articles match in all, and the query as corrected when its
    misspelt words were (shown as "Showing results for …"), else ``None``."""

    hits: list[Hit]
    total: int
    corrected: str | None = None


def search(
    query: str, *, language: str, limit: int = 10, include_drafts: bool = False
) -> list[Hit]:
    """The published articles in ``language`` (drafts too when ``include_drafts``, for the
    console) matching ``query``, best first, at most ``limit``."""
    return find(query, language=language, limit=limit, include_drafts=include_drafts).hits


def find(
    query: str,
    *,
    language: str,
    limit: int = 10,
    offset: int = 0,
    include_drafts: bool = False,
) -> Results:
    """The hits from ``offset`` (at most ``limit``), how many match and the correction made.
    ``ValueError`` naming the field for an unknown language or a negative limit or offset;
    any query text is fine (punctuation or search syntax alone finds nothing)."""
    rules.snowball(language)
    if limit < 0 or offset < 0:
        raise ValueError("limit/offset: must not be negative")
    found = rules.terms(query, language=language)
    if not found or limit == 0:
        return Results([], 0)
    engine = postgres if connection.vendor == "postgresql" else sqlite
    statuses = [Status.PUBLISHED, Status.DRAFT] if include_drafts else [Status.PUBLISHED]

    def ask(terms: rules.Terms, *, any_word: bool) -> tuple[list[Hit], int]:
        rows, total = engine.matches(
            terms,
            language=language,
            statuses=statuses,
            any_word=any_word,
            limit=limit,
            offset=offset,
        )
        return [Hit(pk, language, title, slug, snippet) for pk, title, slug, snippet in rows], total

    hits, total = ask(found, any_word=False)
    if total:
        return Results(hits, total)
    spellings = _corrections(engine, language, found.words)
    if spellings:
        better = rules.replaced(found, {w: fold(s) for w, s in spellings.items()}, language)
        hits, total = ask(better, any_word=False)
        if not total and len(better.words) > 1:
            hits, total = ask(better, any_word=True)
        if total:
            return Results(hits, total, rules.corrected(query, spellings))
    if len(found.words) > 1:
        hits, total = ask(found, any_word=True)
    return Results(hits, total)


def _corrections(engine: ModuleType, language: str, words: Sequence[str]) -> dict[str, str]:
    """The spelling (e.g. "contraseña") each word the vocabulary does not hold is corrected
    to, for those that have a near enough word."""
    known = set(
        SearchWord.objects.filter(language=language, word__in=words).values_list("word", flat=True)
    )
    unknown = [w for w in words if w not in known and not w.isdigit()]
    if not unknown:
        return {}
    vocabulary = engine.candidates(language, unknown)
    spelling = dict(vocabulary)
    choices = [w for w, _ in vocabulary]
    found = {}
    for word in unknown:
        best = rules.nearest(word, choices)
        if best is not None:
            found[word] = spelling[best]
    return found
