"""A small bilingual shelf for the public knowledge base tests: articles written straight into
the database (the authoring services are another part's), at a fixed instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from soporte.kb.models import Article, Category, Status

AT = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
"""When every article here was written: a Monday, 11:00 in Mexico City."""


def shelf_of(slug_es: str, slug_en: str, *, name_es: str = "", name_en: str = "") -> Category:
    return Category.objects.create(
        name_es=name_es or slug_es.title(), name_en=name_en or slug_en.title(),
        slug_es=slug_es, slug_en=slug_en,
    )  # fmt: skip


def article(
    category: Category,
    slug: str,
    *,
    title: str = "",
    language: str = "es",
    status: str = Status.PUBLISHED,
    body: str = "",
    source: Article | None = None,
) -> Article:
    return Article.objects.create(
        category=category, language=language, title=title or slug.replace("-", " ").title(),
        slug=slug, body=body or f"Cuerpo de **{slug}**", status=status, source=source,
        source_revision=1 if source else None, created_at=AT, updated_at=AT,
    )  # fmt: skip


@dataclass(frozen=True)
class Shelf:
    """Machines: one article in Spanish with its English translation, one Spanish only."""

    category: Category
    spanish: Article
    english: Article
    only_spanish: Article


def machines_shelf() -> Shelf:
    category = shelf_of("maquinas", "machines", name_es="Máquinas", name_en="Machines")
    spanish = article(
        category, "alta-de-maquina", title="Dar de alta una máquina",
        body="## Pasos\n\nAbre **Máquinas** y pulsa *Nueva*.",
    )  # fmt: skip
    english = article(
        category, "add-a-machine", title="Add a machine", language="en", source=spanish,
        body="## Steps\n\nOpen **Machines** and press *New*.",
    )  # fmt: skip
    only = article(category, "mover-maquina", title="Mover una máquina de ruta")
    return Shelf(category, spanish, english, only)
