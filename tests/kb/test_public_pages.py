"""The public knowledge base: no sign-in, published articles only, its addresses (404, 410,
old slugs), breadcrumbs and search."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from public_kb_helpers import AT, article, machines_shelf, shelf_of
from soporte.kb.models import PinnedFaq, SlugRedirect, Status

pytestmark = pytest.mark.django_db


def text(client: Client, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_every_page_opens_without_signing_in(client: Client) -> None:
    shelf = machines_shelf()
    assert not client.session.get("_auth_user_id")
    for path in ["/kb/", "/kb/es/c/maquinas", "/kb/es/alta-de-maquina", "/kb/search?q=alta"]:
        assert "Dar de alta una máquina" in text(client, path), path
    assert "Add a machine" in text(client, "/kb/en/add-a-machine")
    assert shelf.english.title in text(client, "/kb/en/c/machines")


def test_drafts_and_archived_articles_are_nowhere_to_be_seen(client: Client) -> None:
    shelf = machines_shelf()
    article(shelf.category, "borrador-secreto", title="Borrador secreto", status=Status.DRAFT)
    article(shelf.category, "viejo-lector", title="Viejo lector", status=Status.ARCHIVED)
    for path in ["/kb/", "/kb/es/c/maquinas", "/kb/search?q=secreto", "/kb/search?q=lector"]:
        page = text(client, path)
        assert "Borrador secreto" not in page, path
        assert "Viejo lector" not in page, path
    assert client.get("/kb/es/borrador-secreto").status_code == 404


def test_unknown_addresses_are_404(client: Client) -> None:
    machines_shelf()
    for path in [
        "/kb/xx/alta-de-maquina",  # no such language
        "/kb/en/alta-de-maquina",  # the Spanish slug under English
        "/kb/es/no-existe",
        "/kb/es/c/no-existe",
        "/kb/es/c/machines",  # the English category slug under Spanish
        "/kb/es/no-existe/vote",
    ]:
        assert client.get(path).status_code in (404, 405), path
    assert client.post("/kb/es/no-existe/vote", {"helpful": "yes"}).status_code == 404


def test_an_archived_article_is_gone_at_its_address_and_its_old_one(client: Client) -> None:
    shelf = machines_shelf()
    old = article(shelf.category, "nfc-reader", language="en", status=Status.ARCHIVED)
    SlugRedirect.objects.create(language="en", slug="card-reader", article=old)
    for path in ["/kb/en/nfc-reader", "/kb/en/card-reader"]:
        response = client.get(path)
        assert response.status_code == 410, path
        assert "This article was withdrawn" in response.content.decode()


def test_an_old_slug_redirects_permanently(client: Client) -> None:
    shelf = machines_shelf()
    SlugRedirect.objects.create(language="es", slug="nueva-maquina", article=shelf.spanish)
    moved = client.get("/kb/es/nueva-maquina")
    assert moved.status_code == 301
    assert moved["Location"] == "/kb/es/alta-de-maquina"


def test_the_home_page_heads_with_the_pinned_faqs_then_the_categories(client: Client) -> None:
    shelf = machines_shelf()
    billing = shelf_of("facturacion", "billing", name_es="Facturación")
    article(billing, "descargar-factura", title="Descargar una factura")
    PinnedFaq.objects.create(language="es", article=shelf.only_spanish, pinned_at=AT)
    page = text(client, "/kb/")
    pinned = page.index("Preguntas frecuentes")
    assert pinned < page.index("Máquinas") < page.index("Facturación")
    assert page.index("Mover una máquina de ruta") > pinned
    assert 'href="/kb/es/c/facturacion"' in page
    assert 'href="/kb/es/descargar-factura"' in page


def test_the_article_page_has_breadcrumbs_its_body_and_its_updated_date(client: Client) -> None:
    machines_shelf()
    page = text(client, "/kb/en/add-a-machine")
    crumbs = re.search(r'<nav class="kb-breadcrumbs".*?</nav>', page, re.S)
    assert crumbs is not None
    names = re.findall(r"<li[^>]*>(?:<a href=\"([^\"]+)\">)?([^<]+)", crumbs.group(0))
    assert names == [
        ("/kb/", "Knowledge base"),
        ("/kb/en/c/machines", "Machines"),
        ("", "Add a machine"),
    ]
    assert "<h2>Steps</h2>" in page
    assert "<strong>Machines</strong>" in page
    assert "Updated Mon 2 Nov 2026, 11:00 CST" in page


def test_the_category_page_lists_its_published_articles(client: Client) -> None:
    shelf = machines_shelf()
    article(shelf.category, "borrador", title="Un borrador", status=Status.DRAFT)
    page = text(client, "/kb/es/c/maquinas")
    assert "<h1>Máquinas</h1>" in page
    assert page.index("Dar de alta una máquina") < page.index("Mover una máquina de ruta")
    assert "Un borrador" not in page
    assert "Add a machine" not in page  # English lives at /kb/en/c/machines


def test_search_shows_title_category_and_highlighted_snippet(client: Client) -> None:
    machines_shelf()
    page = text(client, "/kb/search?q=alta&language=es")
    assert '<ol class="kb-results">' in page
    assert 'href="/kb/es/alta-de-maquina"' in page
    assert '<span class="kb-result-category">Máquinas</span>' in page
    assert 'class="kb-snippet"' in page
    assert "Mover una máquina de ruta" not in page


def test_search_in_english_finds_the_english_articles(client: Client) -> None:
    machines_shelf()
    page = text(client, "/kb/search?q=machine&language=en")
    assert 'href="/kb/en/add-a-machine"' in page
    assert "Results for “machine”" in page
    assert "Dar de alta" not in page


def test_a_search_without_results_suggests_filing_a_ticket(client: Client) -> None:
    machines_shelf()
    page = text(client, "/kb/search?q=printer&language=en")
    assert "No article matches your search" in page
    assert 'class="button" href="/portal/tickets/new"' in page


def test_an_empty_search_asks_for_words(client: Client) -> None:
    page = text(client, "/kb/search?q=+&language=en")
    assert "Type a few words" in page
    assert 'class="button" href="/portal/tickets/new"' not in page


@pytest.mark.parametrize(
    ("query", "field"), [("q=" + "a" * 201, "q"), ("q=alta&language=fr", "language")]
)
def test_bad_search_input_is_a_400_naming_the_field(client: Client, query: str, field: str) -> None:
    response = client.get(f"/kb/search?{query}")
    assert response.status_code == 400
    assert f"<li>{field} " in response.content.decode()
