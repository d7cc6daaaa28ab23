"""Answering with an article: the article addresses in a public agent reply record one use per
ticket and article and the timeline event; internal notes and other hosts' links do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings

from kb_helpers import write
from soporte.kb.domain.links import article_links
from soporte.kb.models import ArticleUse, SlugRedirect, Status
from soporte.kb.uses import record_uses
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, TimelineEvent

AT = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
BASE = "https://soporte.example"


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ("", []),
        (f"Mira {BASE}/kb/es/alta-de-maquina.", [("es", "alta-de-maquina")]),
        (f'<a href="{BASE}/kb/en/reset">{BASE}/kb/en/reset</a>', [("en", "reset")]),
        (f"{BASE}/kb/en/b and {BASE}/kb/es/a, again {BASE}/kb/en/b", [("en", "b"), ("es", "a")]),
        (f"{BASE}/kb/fr/bonjour", []),  # not a language of the KB
        ("https://other.example/kb/es/alta", []),  # another host
        (f"{BASE}/kb/es/alta/edit", []),  # not an article's address
        (f"{BASE}/kb/es/", []),
        (f"{BASE}/kb/es/alta?utm=x#top", [("es", "alta")]),
    ],
)
def test_article_links_in_a_body(body: str, links: list[tuple[str, str]]) -> None:
    assert article_links(body, base=BASE) == links
    assert article_links(body, base=BASE + "/") == links


def _url(article: Any, slug: str = "") -> str:
    return f"{settings.PUBLIC_BASE_URL}/kb/{article.language}/{slug or article.slug}"


def _ticket(world: Any) -> Any:
    return services.open_ticket(
        requester=world.contacts["pro"], channel="email", severity="P3", subject="Ventas en cero",
        body="Sigue en cero.", intake=Intake(), now=AT,
    )  # fmt: skip


def _events(ticket: Any) -> list[dict[str, Any]]:
    rows = TimelineEvent.objects.filter(ticket=ticket, kind=EventKind.ANSWERED_WITH_ARTICLE)
    return [event.data for event in rows.order_by("pk")]


@pytest.mark.django_db
def test_a_public_reply_records_each_linked_article_once_per_ticket(world: Any) -> None:
    ticket, agent = _ticket(world), world.agents["t1"]
    ventas = write("Ventas en cero")
    sales = write("Sales show zero", language="en", source=ventas)
    body = f"Hola, revisa {_url(ventas)} (or in English {_url(sales)})."
    services.reply(ticket=ticket, author=agent, body=body, at=AT + timedelta(minutes=5))
    services.reply(
        ticket=ticket, author=agent, body=f"Otra vez: {_url(ventas)}", at=AT + timedelta(minutes=9)
    )
    uses = list(ArticleUse.objects.order_by("pk").values_list("article", "agent", "at"))
    assert uses == [
        (ventas.pk, agent.pk, AT + timedelta(minutes=5)),
        (sales.pk, agent.pk, AT + timedelta(minutes=5)),
    ]
    assert _events(ticket) == [
        {"article": ventas.pk, "title": "Ventas en cero", "language": "es"},
        {"article": sales.pk, "title": "Sales show zero", "language": "en"},
    ]


@pytest.mark.django_db
def test_notes_customers_drafts_and_unknown_slugs_record_nothing(world: Any) -> None:
    ticket, agent = _ticket(world), world.agents["t1"]
    ventas = write("Ventas en cero")
    draft = write("Borrador", status=Status.DRAFT)
    services.reply(ticket=ticket, author=agent, body=_url(ventas), public=False, at=AT)
    services.reply(ticket=ticket, author=world.contacts["pro"], body=_url(ventas), at=AT)
    body = f"{_url(draft)} {_url(ventas, 'no-existe')} https://other.example/kb/es/{ventas.slug}"
    services.reply(ticket=ticket, author=agent, body=body, at=AT)
    assert not ArticleUse.objects.exists()
    assert _events(ticket) == []


@pytest.mark.django_db
def test_an_old_slug_counts_as_its_article(world: Any) -> None:
    ticket, agent = _ticket(world), world.agents["t2"]
    ventas = write("Ventas en cero")
    SlugRedirect.objects.create(language="es", slug="ventas-cero", article=ventas)
    added = record_uses(ticket=ticket, body=_url(ventas, "ventas-cero"), agent=agent, now=AT)
    assert [use.article for use in added] == [ventas]
    assert record_uses(ticket=ticket, body=_url(ventas), agent=agent, now=AT) == []
