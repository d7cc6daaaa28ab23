"""Helpers for the tests that use knowledge base articles: a shelf, published articles and
their translations, written at a fixed instant."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils.text import slugify

from soporte.kb.models import Article, Category, Status

WRITTEN = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)


def shelf(name: str = "Máquinas") -> Category:
    slug = slugify(name)
    return Category.objects.create(name_es=name, name_en=name, slug_es=slug, slug_en=f"{slug}-en")


def write(
    title: str,
    *,
    language: str = "es",
    source: Article | None = None,
    status: str = Status.PUBLISHED,
    category: Category | None = None,
) -> Article:
    """An article titled ``title`` (its slug from the title), published unless ``status``
    says otherwise; ``source``: the article it translates."""
    return Article.objects.create(
        category=category or (source.category if source else None) or shelf(title),
        language=language,
        title=title,
        slug=slugify(title),
        body=f"{title}: paso a paso.",
        status=status,
        source=source,
        source_revision=source.revision if source else None,
        created_at=WRITTEN,
        updated_at=WRITTEN,
        published_at=WRITTEN if status == Status.PUBLISHED else None,
    )
