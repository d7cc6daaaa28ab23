"""Answering with an article in the console: the reply box searches the knowledge base in both
languages and links each article in the customer's language; a sent reply records it on the
ticket, its timeline and its side panel."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from console_helpers import client_for, htmx, open_ticket
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kb_helpers import write
from soporte.kb.models import ArticleUse, Status

pytestmark = pytest.mark.django_db


def search(client: Client, ticket: Any, q: str) -> Any:
    return htmx(client, f"/console/tickets/{ticket.pk}/kb?lang=en&q={q}")


def inserted(html: str) -> list[str]:
    return [unescape(url) for url in re.findall(r'data-kb-insert="([^"]+)"', html)]


def english_requester(world: Any) -> Any:
    contact = world.contacts["pro"]
    contact.locale = "en"
    contact.save(update_fields=["locale"])
    return open_ticket(world, plan="pro", now=timezone.now())


def test_results_from_both_languages_link_the_customers_language(world: Any) -> None:
    ticket = english_requester(world)
    ventas = write("Ventas en cero")
    sales = write("Sales at zero", language="en", source=ventas)
    alta = write("Alta de máquina")  # Spanish only
    write("Ventas borrador", status=Status.DRAFT)
    client = client_for(world, "t1")
    base = settings.PUBLIC_BASE_URL
    # Found in Spanish, linked in English (the requester's language), once.
    answer = search(client, ticket, "ventas")
    assert answer.status_code == 200
    assert inserted(answer.content.decode()) == [f"{base}/kb/en/{sales.slug}"]
    assert "Ventas borrador" not in answer.content.decode()
    assert inserted(search(client, ticket, "sales").content.decode()) == [
        f"{base}/kb/en/{sales.slug}"
    ]
    # No English translation: the Spanish article itself, said so.
    html = search(client, ticket, "alta").content.decode()
    assert inserted(html) == [f"{base}/kb/es/{alta.slug}"]
    assert "not in the customer's language yet" in html


def test_an_empty_query_finds_nothing_and_an_overlong_one_is_refused(world: Any) -> None:
    ticket = open_ticket(world, now=timezone.now())
    write("Ventas en cero")
    client = client_for(world, "t1")
    empty = search(client, ticket, "")
    assert empty.status_code == 200
    assert inserted(empty.content.decode()) == []
    long = search(client, ticket, "v" * 201)
    assert long.status_code == 400
    assert "Search the knowledge base:" in long.content.decode()


def test_only_agents_search_and_only_for_a_ticket_they_may_see(world: Any) -> None:
    ticket = open_ticket(world, now=timezone.now())
    anonymous = Client().get(f"/console/tickets/{ticket.pk}/kb?q=ventas")
    assert anonymous.status_code == 302
    customer = Client()
    customer.force_login(world.contacts["pro"].user)
    assert customer.get(f"/console/tickets/{ticket.pk}/kb?q=ventas").status_code in (302, 403)
    assert search(client_for(world, "t1"), ticket, "ventas").status_code == 200
    assert client_for(world, "t1").get("/console/tickets/999999/kb?q=x").status_code == 404


def test_a_reply_with_the_link_records_the_article_and_shows_it(world: Any) -> None:
    ticket = open_ticket(world, now=timezone.now())
    ventas = write("Ventas en cero")
    client = client_for(world, "t1")
    page = client.get(f"/console/tickets/{ticket.pk}?lang=en").content.decode()
    assert f'hx-get="/console/tickets/{ticket.pk}/kb"' in page
    assert "console/kb.js" in page
    assert "No knowledge base article was linked in a reply yet." in page
    [url] = inserted(search(client, ticket, "ventas").content.decode())
    note = {"body": f"Internal: {url}", "kind": "internal"}
    assert client.post(f"/console/tickets/{ticket.pk}/reply", note).status_code == 302
    assert not ArticleUse.objects.exists()
    sent = {"body": f"Hola Ana, aquí está la guía:\n{url}", "kind": "public"}
    assert client.post(f"/console/tickets/{ticket.pk}/reply", sent).status_code == 302
    use = ArticleUse.objects.get()
    assert (use.ticket, use.article, use.agent) == (ticket, ventas, world.agents["t1"])
    text = unescape(client.get(f"/console/tickets/{ticket.pk}?lang=en").content.decode())
    assert "Answered with article «Ventas en cero»" in text
    assert f'href="/kb/es/{ventas.slug}"' in text  # the side panel
