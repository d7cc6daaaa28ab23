"""Which language the public knowledge base reads in: Spanish by default, English by the switch
or the browser; an article's page is wholly in the article's language, and its switch goes to
the linked translation (or says there is none yet)."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from public_kb_helpers import machines_shelf

pytestmark = pytest.mark.django_db


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)">', page)
    assert found is not None
    return found.group(1)


def switch_next(page: str) -> str:
    """Where the layout's language switch leads (its form's ``next``)."""
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', page)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


def test_spanish_by_default(client: Client) -> None:
    machines_shelf()
    page = client.get("/kb/").content.decode()
    assert html_lang(page) == "es-mx"
    assert "Dar de alta una máquina" in page
    assert "Add a machine" not in page


def test_the_browser_s_accept_language_picks_english(client: Client) -> None:
    machines_shelf()
    page = client.get("/kb/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert html_lang(page) == "en"
    assert "Add a machine" in page
    assert "Dar de alta una máquina" not in page


def test_the_switch_picks_english_and_keeps_it(client: Client) -> None:
    machines_shelf()
    assert "Add a machine" in client.get("/kb/?lang=en").content.decode()
    page = client.get("/kb/search?q=machine").content.decode()  # the cookie remembers
    assert 'href="/kb/en/add-a-machine"' in page


def test_an_article_page_reads_wholly_in_the_article_s_language(client: Client) -> None:
    machines_shelf()
    page = client.get("/kb/en/add-a-machine").content.decode()  # a Spanish reader, by default
    assert html_lang(page) == "en"
    assert '<article class="kb-article card" lang="en">' in page
    assert "Was this article helpful?" in page
    spanish = client.get("/kb/es/alta-de-maquina", headers={"accept-language": "en"})
    assert html_lang(spanish.content.decode()) == "es-mx"
    assert spanish["Content-Language"] == "es-mx"


def test_the_switch_on_an_article_goes_to_its_linked_translation(client: Client) -> None:
    machines_shelf()
    english = client.get("/kb/en/add-a-machine").content.decode()
    assert switch_next(english) == "/kb/es/alta-de-maquina"
    assert 'href="/kb/es/alta-de-maquina" hreflang="es" lang="es">Español</a>' in english
    spanish = client.get("/kb/es/alta-de-maquina").content.decode()
    assert switch_next(spanish) == "/kb/en/add-a-machine"
    assert 'href="/kb/en/add-a-machine" hreflang="en" lang="en">English</a>' in spanish
    chosen = client.post("/i18n/setlang/", {"language": "es-mx", "next": switch_next(english)})
    assert chosen["Location"] == "/kb/es/alta-de-maquina"


def test_asking_for_the_other_language_on_an_article_opens_its_translation(
    client: Client,
) -> None:
    machines_shelf()
    moved = client.get("/kb/en/add-a-machine?lang=es-mx")
    assert moved.status_code == 302
    assert moved["Location"] == "/kb/es/alta-de-maquina"
    assert client.get("/kb/en/add-a-machine?lang=en").status_code == 200


def test_an_article_without_translation_says_so_and_offers_the_other_home(
    client: Client,
) -> None:
    machines_shelf()
    response = client.get("/kb/es/mover-maquina")
    page = response.content.decode()
    assert switch_next(page) == "/kb/?lang=en"
    assert 'href="/kb/?lang=en" hreflang="en"' in page
    assert 'hreflang="en" href=' not in page  # no alternate to announce
    assert client.get("/kb/es/mover-maquina?lang=en").status_code == 200  # stays: none to go to


@override_settings(PUBLIC_BASE_URL="https://soporte.trackmyvend.com")
def test_the_article_names_its_canonical_address_and_its_translation(client: Client) -> None:
    machines_shelf()
    page = client.get("/kb/es/alta-de-maquina?utm_source=mail").content.decode()
    base = "https://soporte.trackmyvend.com"
    assert f'<link rel="canonical" href="{base}/kb/es/alta-de-maquina">' in page
    assert f'<link rel="alternate" hreflang="es" href="{base}/kb/es/alta-de-maquina">' in page
    assert f'<link rel="alternate" hreflang="en" href="{base}/kb/en/add-a-machine">' in page


def test_the_category_and_search_switches_keep_the_page(client: Client) -> None:
    machines_shelf()
    assert switch_next(client.get("/kb/es/c/maquinas").content.decode()) == "/kb/en/c/machines"
    found = client.get("/kb/search?q=alta&language=es").content.decode()
    assert switch_next(found) == "/kb/search?q=alta&language=en"
