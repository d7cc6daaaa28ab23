"""The new-ticket page's knowledge base: the pinned FAQs head it, matching articles appear under
the subject as it is typed (an htmx partial, signed-in contacts only), and filing the ticket
closes the suggestion session (not deflected)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from portal_helpers import signed_in

from kb_helpers import WRITTEN, write
from soporte.kb.models import Deflection, PinnedFaq

pytestmark = pytest.mark.django_db
SUGGESTIONS = "/portal/tickets/new/suggestions"


def token_in(html: str) -> str:
    found = re.search(r'name="deflection" id="id_deflection" value="([^"]+)" hx-swap-oob', html)
    return unescape(found[1]) if found else ""


def test_pinned_faqs_head_the_page_in_the_contacts_language(world: Any) -> None:
    ventas = write("Ventas en cero")
    sales = write("Sales at zero", language="en", source=ventas)
    PinnedFaq.objects.create(language="es", article=ventas, pinned_at=WRITTEN)
    PinnedFaq.objects.create(language="en", article=sales, pinned_at=WRITTEN)
    contact = world.contacts["pro"]
    html = signed_in(contact).get("/portal/tickets/new").content.decode()
    assert "Frequently asked questions" in html
    assert f'href="/kb/es/{ventas.slug}"' in html
    assert "Sales at zero" not in html
    assert f'hx-get="{SUGGESTIONS}"' in html
    assert 'id="kb-suggestions"' in html
    contact.locale = "en"
    contact.save(update_fields=["locale"])
    assert (
        f'href="/kb/en/{sales.slug}"'
        in signed_in(contact).get("/portal/tickets/new").content.decode()
    )


def test_typing_suggests_articles_in_the_contacts_language_and_keeps_one_session(
    world: Any,
) -> None:
    ventas = write("Ventas en cero")
    write("Ventas at zero", language="en", source=ventas)
    client = signed_in(world.contacts["pro"])
    first = client.get(SUGGESTIONS, {"subject": "ventas", "deflection": ""})
    assert first.status_code == 200
    html = first.content.decode()
    assert "Ventas en cero" in html
    assert "Ventas at zero" not in html
    assert 'target="_blank"' in html  # the typed form stays in its tab
    token = token_in(html)
    again = client.get(SUGGESTIONS, {"subject": "ventas en cero", "deflection": token})
    assert token_in(again.content.decode()) == token
    session = Deflection.objects.get()
    assert (session.where, session.query, session.contact) == (
        "portal",
        "ventas en cero",
        world.contacts["pro"],
    )


def test_nothing_typed_suggests_nothing_and_a_long_subject_is_refused(world: Any) -> None:
    write("Ventas en cero")
    client = signed_in(world.contacts["pro"])
    empty = client.get(SUGGESTIONS, {"subject": "  "})
    assert empty.status_code == 200
    assert "<li>" not in empty.content.decode()
    assert token_in(empty.content.decode()) == ""
    long = client.get(SUGGESTIONS, {"subject": "v" * 201})
    assert long.status_code == 400
    assert "Subject:" in long.content.decode()
    assert not Deflection.objects.exists()


def test_suggestions_need_a_signed_in_contact(world: Any) -> None:
    write("Ventas en cero")
    anonymous = Client().get(SUGGESTIONS, {"subject": "ventas"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/?next=")
    agent = signed_in(world.agents["t1"]).get(SUGGESTIONS, {"subject": "ventas"})
    assert agent.status_code == 302
    assert "/console" in agent["Location"]
    assert not Deflection.objects.exists()


def test_filing_the_ticket_with_the_session_means_not_deflected(world: Any, client: Client) -> None:
    article = write("Ventas en cero")
    portal = signed_in(world.contacts["pro"])
    html = portal.get(SUGGESTIONS, {"subject": "ventas"}).content.decode()
    link = re.search(r'href="http://[^/"]+(/kb/suggested/[^"]+)"', html)
    assert link is not None
    assert client.get(unescape(link[1]))["Location"] == f"/kb/es/{article.slug}"
    assert Deflection.objects.get().deflected  # opened, nothing filed (yet)
    fields = {"subject": "Ventas en cero", "severity": "P2", "description": "Sigue en cero."}
    filed = portal.post("/portal/tickets/new", {**fields, "deflection": token_in(html)})
    assert filed.status_code == 302
    session = Deflection.objects.get()
    assert session.ticket is not None
    assert session.ticket.subject == "Ventas en cero"
    assert not session.deflected
