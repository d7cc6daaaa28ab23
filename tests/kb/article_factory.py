"""Articles for the knowledge-base tests, written through the services at fixed instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from soporte.kb import services
from soporte.kb.models import Article, Category

AT = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
"""A Monday afternoon; later steps of a test add hours to it."""


def later(hours: int) -> datetime:
    return AT + timedelta(hours=hours)


def shelf(slug: str = "maquinas") -> Category:
    return Category.objects.create(
        name_es=slug.title(), name_en=f"{slug.title()} (en)", slug_es=slug, slug_en=f"{slug}-en"
    )


def write(
    world: Any, *, title: str = "Dar de alta una máquina", body: str = "", **kw: Any
) -> Article:
    """A Spanish draft by the T1 agent (``body`` defaults to three numbered steps)."""
    return services.create_article(
        author=world.agents["t1"],
        category=kw.pop("category", None) or shelf(),
        language=kw.pop("language", "es"),
        title=title,
        body=body or "1. Abre **Máquinas**.\n2. Pulsa *Agregar*.\n3. Escribe el número de serie.",
        now=kw.pop("now", AT),
        **kw,
    )


def edit(world: Any, article: Article, *, now: datetime, **changes: Any) -> Article:
    """``update_article`` with the article's current values but ``changes``."""
    values = {
        "title": article.title,
        "slug": article.slug,
        "body": article.body,
        "category": article.category,
        **changes,
    }
    return services.update_article(article=article, editor=world.agents["t2"], now=now, **values)
