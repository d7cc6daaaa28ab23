"""Deflection and answering with articles in Chromium: a customer typing a subject sees a
suggested article, opens it and leaves (deflected); an agent inserts an article's link in a
reply and the timeline says the ticket was answered with it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from e2e_helpers import PASSWORD, NewSession, open_new_ticket_form, open_suggested, sign_in
from playwright.sync_api import expect

from kb_helpers import write
from soporte.accounts import services as accounts
from soporte.kb.models import ArticleUse, Deflection
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`


@pytest.fixture(autouse=True)
def _public_address(settings: Any, live_server: Any) -> None:
    settings.PUBLIC_BASE_URL = live_server.url  # the absolute links point at this server


def test_a_customer_opens_a_suggested_article_and_leaves_deflected(
    world: Any, new_session: NewSession
) -> None:
    article = write("Ventas en cero en el tablero")
    page = new_session()
    sign_in(page, world.contacts["pro"].email, lands_on="/portal/")
    open_new_ticket_form(page)
    page.get_by_label("Subject").press_sequentially("ventas en cero", delay=20)
    suggested = page.locator("#kb-suggestions").get_by_role("link", name=article.title)
    expect(suggested).to_be_visible()
    tab = open_suggested(page, suggested)
    assert tab.url.endswith(f"/kb/es/{article.slug}")
    expect(tab.get_by_role("heading", name=article.title)).to_be_visible()
    tab.close()
    expect(page.get_by_label("Subject")).to_have_value("ventas en cero")  # the form is kept
    session = Deflection.objects.get()
    assert (session.opened_id, session.ticket_id, session.where) == (article.pk, None, "portal")
    assert session.deflected


def test_a_customer_reads_a_suggestion_in_english_then_switches_to_spanish(
    world: Any, new_session: NewSession
) -> None:
    """The issue's path: an English-speaking customer types a subject in the portal, sees the
    suggested article, opens it in English and switches the page to Spanish."""
    spanish = write("Ventas en cero en el tablero")
    english = write("Sales at zero on the dashboard", language="en", source=spanish)
    kate = accounts.create_contact(
        organisation=world.orgs["enterprise"],
        email="kate@vendomatic.example",
        name="Kate",
        password=PASSWORD,
        locale="en",
    )
    page = new_session()
    sign_in(page, kate.email, lands_on="/portal/")
    open_new_ticket_form(page)
    page.get_by_label("Subject").press_sequentially("sales at zero", delay=20)
    suggested = page.locator("#kb-suggestions").get_by_role("link", name=english.title)
    expect(suggested).to_be_visible()
    tab = open_suggested(page, suggested)
    assert tab.url.endswith(f"/kb/en/{english.slug}")
    expect(tab.locator("article.kb-article")).to_have_attribute("lang", "en")
    tab.get_by_label("Language").select_option("es-mx")
    expect(tab).to_have_url(re.compile(rf"/kb/es/{spanish.slug}$"))
    expect(tab.get_by_role("heading", name=spanish.title)).to_be_visible()
    assert Deflection.objects.get().opened == english


def test_an_agent_answers_with_an_articles_link(
    world: Any, new_session: NewSession, live_server: Any
) -> None:
    article = write("Alta de máquina")
    ticket = services.open_ticket(
        requester=world.contacts["pro"], channel="email", severity="P3",
        subject="¿Cómo doy de alta una máquina?", body="No encuentro dónde.",
        intake=Intake(), now=timezone.now(),
    )  # fmt: skip
    page = new_session()
    sign_in(page, world.agents["t1"].email, lands_on="/console/queue/T1")
    page.goto(f"/console/tickets/{ticket.pk}")
    page.locator("summary", has_text="Knowledge base").click()
    page.get_by_label("Search the knowledge base").press_sequentially("alta", delay=20)
    page.locator("#kb-results").get_by_role("button", name="Insert link").click()
    reply = page.get_by_label("Reply or note")
    expect(reply).to_have_value(f"{live_server.url}/kb/es/{article.slug}")
    reply.press("Home")
    reply.type("Aquí está la guía: ")
    page.get_by_role("button", name="Send reply to customer").click()
    expect(page.locator("ol.timeline")).to_contain_text("Answered with article «Alta de máquina»")
    expect(page.locator("#kb-used")).to_contain_text("Alta de máquina")
    assert ArticleUse.objects.get().article == article
