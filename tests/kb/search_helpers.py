"""Articles for the search tests: written with the ORM, as any code path may (the index
follows by its receivers)."""

from __future__ import annotations

from datetime import UTC, datetime

from soporte.kb.models import Article, Category, Status

AT = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)


def shelf() -> Category:
    """The one category every test article sits on."""
    found, _ = Category.objects.get_or_create(
        slug_es="general",
        defaults={"name_es": "General", "name_en": "General", "slug_en": "general-en"},
    )
    return found


def write(
    title: str, body: str, *, language: str = "es", status: str = Status.PUBLISHED, slug: str = ""
) -> Article:
    """A new article (published unless told), its slug from its title unless given."""
    return Article.objects.create(
        category=shelf(),
        language=language,
        title=title,
        slug=slug or f"a{Article.objects.count() + 1}",
        body=body,
        status=status,
        created_at=AT,
        updated_at=AT,
    )
