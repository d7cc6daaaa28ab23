"""The public knowledge base needs no sign-in and shows published articles only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from soporte.kb.models import Article, Category, PinnedFaq, SlugRedirect, Status

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)


def article(category: Category, slug: str, status: str, language: str = "es") -> Article:
    return Article.objects.create(
        category=category, language=language, title=slug.replace("-", " ").title(), slug=slug,
        body=f"Cuerpo de **{slug}**", status=status, created_at=AT, updated_at=AT,
    )  # fmt: skip


def shelf_of(slug: str) -> Category:
    return Category.objects.create(name_es=slug, name_en=slug, slug_es=slug, slug_en=f"{slug}-en")


def test_published_articles_show_without_sign_in_and_drafts_do_not(client: Client) -> None:
    shelf = shelf_of("maquinas")
    live = article(shelf, "alta-de-maquina", Status.PUBLISHED)
    article(shelf, "borrador-secreto", Status.DRAFT)
    PinnedFaq.objects.create(language="es", article=live, pinned_at=AT)
    home = client.get("/kb/").content.decode()
    assert "Alta De Maquina" in home
    assert "Borrador Secreto" not in home
    page = client.get("/kb/es/alta-de-maquina")
    assert page.status_code == 200
    assert "<strong>alta-de-maquina</strong>" in page.content.decode()
    assert client.get("/kb/es/borrador-secreto").status_code == 404
    assert client.get("/kb/xx/alta-de-maquina").status_code == 404


def test_an_old_slug_redirects_permanently(client: Client) -> None:
    shelf = shelf_of("cuenta")
    live = article(shelf, "restablecer-contrasena", Status.PUBLISHED)
    SlugRedirect.objects.create(language="es", slug="olvide-mi-contrasena", article=live)
    moved = client.get("/kb/es/olvide-mi-contrasena")
    assert moved.status_code == 301
    assert moved["Location"] == "/kb/es/restablecer-contrasena"
