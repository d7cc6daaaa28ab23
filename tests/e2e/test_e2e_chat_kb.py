"""The chat widget's knowledge base in Chromium, on the demo host page: the pinned FAQs head
its empty state, and a customer typing a question before the chat has its ticket sees the
matching articles, opens one, and the opening is a deflection session of the widget's."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import NewSession, open_suggested
from playwright.sync_api import expect

from kb_helpers import WRITTEN, write
from soporte.kb.models import Deflection, PinnedFaq
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`


def test_the_widget_shows_pinned_faqs_and_records_an_opened_suggestion(
    world: Any, settings: Any, live_server: Any, new_session: NewSession
) -> None:
    settings.SOPORTE_DEMO = True
    settings.SOPORTE_CHAT_SECRET = "e2e-chat-secret"
    settings.PUBLIC_BASE_URL = live_server.url  # the suggestions' links point at this server
    pinned = write("Cómo dar de alta una máquina")
    PinnedFaq.objects.create(language="es", article=pinned, pinned_at=WRITTEN)
    article = write("Ventas en cero en el tablero")

    page = new_session()
    page.goto("/chat/demo/?lang=es")
    page.get_by_role("button", name="Chatea con soporte").click()
    panel = page.get_by_role("dialog", name="Soporte TrackMyVend")
    faqs = panel.get_by_role("region", name="Preguntas frecuentes")
    expect(faqs.get_by_role("link", name=pinned.title)).to_have_attribute(
        "href", f"{live_server.url}/kb/es/{pinned.slug}"
    )
    box = panel.get_by_label("Tu mensaje")
    expect(box).to_be_focused()  # the signed contact's conversation has started
    box.press_sequentially("ventas en cero", delay=20)
    suggested = panel.locator(".sc-suggested").get_by_role("link", name=article.title)
    expect(suggested).to_be_visible()
    tab = open_suggested(page, suggested)
    assert tab.url == f"{live_server.url}/kb/es/{article.slug}"
    expect(tab.get_by_role("heading", name=article.title)).to_be_visible()
    tab.close()

    expect(box).to_have_value("ventas en cero")  # the question is kept, not sent
    assert not Ticket.objects.exists()
    session = Deflection.objects.get()
    assert (session.where, session.contact, session.query) == (
        "widget",
        world.contacts["starter"],
        "ventas en cero",
    )
    assert (session.opened_id, session.ticket_id) == (article.pk, None)
    assert session.opened_at is not None
    assert session.deflected
