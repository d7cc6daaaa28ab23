"""The public knowledge base in Chromium on a 375 px phone: a reader (browser in English) opens
``/kb/``, searches, opens an article in English, switches to Spanish with the layout's switch
and lands on the linked translation, and says it helped; no page scrolls sideways, logs an error
or asks another host for anything."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_helpers import NewSession, fits_width
from playwright.sync_api import ConsoleMessage, Request, expect

from public_kb_helpers import machines_shelf

pytestmark = pytest.mark.slow  # starts a browser

PHONE = {"width": 375, "height": 740}


def test_a_reader_on_a_phone_searches_reads_switches_language_and_votes(
    new_session: NewSession, live_server: Any
) -> None:
    shelf = machines_shelf()
    page = new_session()
    page.set_viewport_size(PHONE)
    errors: list[str] = []
    elsewhere: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # The browser asks for /favicon.ico by itself, and the desk has none: not the page's.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            errors.append(f"{message.location['url']}: {message.text}")

    def on_request(request: Request) -> None:
        if not request.url.startswith(live_server.url) and not request.url.startswith("data:"):
            elsewhere.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", on_request)

    page.goto("/kb/")  # the browser asks for English (Accept-Language en-US)
    expect(page.get_by_role("heading", name="Knowledge base", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    fits_width(page, PHONE["width"])

    page.get_by_label("Search the knowledge base").fill("machine")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/kb/search\?q=machine&language=en$"))
    expect(page.locator(".kb-result-category")).to_have_text("Machines")
    fits_width(page, PHONE["width"])

    page.get_by_role("link", name="Add a machine").click()
    expect(page).to_have_url(re.compile(r"/kb/en/add-a-machine$"))
    expect(page.locator("article.kb-article")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Add a machine")).to_be_visible()
    fits_width(page, PHONE["width"])

    page.get_by_label("Language").select_option("es-mx")  # the layout's switch
    expect(page).to_have_url(re.compile(r"/kb/es/alta-de-maquina$"))
    expect(page.locator("html")).to_have_attribute("lang", "es-mx")
    expect(page.get_by_role("heading", name="Dar de alta una máquina")).to_be_visible()
    fits_width(page, PHONE["width"])

    helpful = page.locator("#helpful button[value=yes]")
    helpful.click()  # htmx swaps the answer part in place
    expect(page.locator("#helpful button[value=yes]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#helpful .kb-thanks")).to_be_visible()
    fits_width(page, PHONE["width"])
    shelf.spanish.refresh_from_db()
    assert (shelf.spanish.helpful_yes, shelf.spanish.helpful_no) == (1, 0)

    page.reload()  # the same reader: the answer is kept, not counted twice
    expect(page.locator("#helpful button[value=yes]")).to_have_attribute("aria-pressed", "true")
    assert errors == []
    assert elsewhere == []
