"""Deflection sessions: suggestions open a session, a later query updates it, opening a
suggestion is recorded by its link, filing the ticket closes it; the counts reports read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from kb_helpers import write
from soporte.kb import deflection
from soporte.kb.deflection_selectors import DeflectionCounts, deflections
from soporte.kb.models import Deflection, Status
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake

pytestmark = pytest.mark.django_db
AT = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def suggest(contact: Any, query: str, token: str = "", **kw: Any) -> deflection.Suggested:
    values = {"where": "portal", "language": "es", "now": AT, **kw}
    return deflection.suggest(contact=contact, query=query, token=token, **values)


def ticket_for(contact: Any) -> Any:
    return services.open_ticket(
        requester=contact, channel="portal", severity="P3", subject="Ventas en cero",
        body="Sigue en cero.", intake=Intake(), now=AT,
    )  # fmt: skip


def test_the_first_matching_query_opens_a_session_and_later_ones_update_it(world: Any) -> None:
    ana = world.contacts["pro"]
    article = write("Ventas en cero en el tablero")
    write("Ventas de ayer", status=Status.DRAFT)
    assert suggest(ana, "") == deflection.Suggested([], "")
    assert suggest(ana, "impresora rota") == deflection.Suggested([], "")
    assert not Deflection.objects.exists()  # nothing suggested, no session

    first = suggest(ana, "  ventas   en cero ")
    assert [s.hit.article_id for s in first.suggestions] == [article.pk]
    assert first.suggestions[0].url.startswith("http")
    assert first.token
    later = suggest(ana, "tablero ventas", first.token, now=AT + timedelta(seconds=5))
    assert later.token == first.token
    session = Deflection.objects.get()
    assert (session.where, session.contact, session.query, session.language) == (
        "portal", ana, "tablero ventas", "es",
    )  # fmt: skip
    assert session.suggested_at == AT  # the first suggestion's instant
    assert session.opened is None
    assert session.ticket is None


def test_a_foreign_tampered_or_closed_token_starts_a_new_session(world: Any) -> None:
    write("Ventas en cero")
    ana, bea = world.contacts["pro"], world.contacts["starter"]
    token = suggest(ana, "ventas").token
    assert suggest(bea, "ventas", token).token != token  # another contact's
    assert suggest(ana, "ventas", token, where="widget").token != token  # another place's
    assert suggest(ana, "ventas", token + "x").token != token  # tampered
    assert deflection.filed(token=token, contact=ana, ticket=ticket_for(ana))
    assert suggest(ana, "ventas", token).token != token  # already filed its ticket
    assert Deflection.objects.count() == 5


def test_a_query_over_200_characters_is_refused(world: Any) -> None:
    with pytest.raises(deflection.QueryTooLong):
        suggest(world.contacts["pro"], "v" * 201)


def test_opening_a_suggestion_records_it_and_redirects_to_the_article(
    world: Any, client: Client
) -> None:
    article = write("Ventas en cero")
    found = suggest(world.contacts["pro"], "ventas")
    link = found.suggestions[0].url
    answer = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert answer.status_code == 302
    assert answer["Location"] == f"/kb/es/{article.slug}"
    assert answer["Cache-Control"] == "no-store"
    session = Deflection.objects.get()
    assert session.opened == article
    assert session.opened_at is not None
    assert session.deflected


def test_a_tampered_link_or_an_unpublished_article_is_not_found(world: Any, client: Client) -> None:
    write("Ventas en cero")
    draft = write("Ventas secretas", status=Status.DRAFT)
    token = suggest(world.contacts["pro"], "ventas").token
    assert client.get(f"/kb/suggested/{token}x/{draft.pk}").status_code == 404
    assert client.get(f"/kb/suggested/{token}/{draft.pk}").status_code == 404
    assert Deflection.objects.get().opened is None


def test_filing_the_ticket_closes_the_session_once_and_only_for_its_contact(world: Any) -> None:
    ana, bea = world.contacts["pro"], world.contacts["starter"]
    write("Ventas en cero")
    token = suggest(ana, "ventas").token
    assert not deflection.filed(token=token, contact=bea, ticket=ticket_for(bea))
    assert not deflection.filed(token="", contact=ana, ticket=ticket_for(ana))
    first = ticket_for(ana)
    assert deflection.filed(token=token, contact=ana, ticket=first)
    assert not deflection.filed(token=token, contact=ana, ticket=ticket_for(ana))
    assert Deflection.objects.get().ticket == first


def test_counts_for_a_period_suggested_opened_and_deflected(world: Any) -> None:
    ana = world.contacts["pro"]
    article = write("Ventas en cero")

    def session(at: datetime, *, opened: bool, filed: bool, where: str = "portal") -> None:
        token = suggest(ana, "ventas", where=where, now=at).token
        if opened:
            deflection.open_suggestion(token=token, article_id=article.pk, now=at)
        if filed:
            deflection.filed(token=token, contact=ana, ticket=ticket_for(ana))

    session(AT, opened=True, filed=False)  # deflected
    session(AT, opened=True, filed=True)  # opened, then filed all the same
    session(AT, opened=False, filed=False)  # shown, ignored
    session(AT, opened=True, filed=False, where="widget")
    session(AT + timedelta(days=1), opened=True, filed=False)  # outside the period
    day = (AT - timedelta(hours=1), AT + timedelta(hours=1))
    assert deflections(*day) == DeflectionCounts(suggested=4, opened=3, deflected=2)
    assert deflections(*day, where="portal") == DeflectionCounts(3, 2, 1)
    assert deflections(AT + timedelta(hours=1), AT + timedelta(days=2)) == DeflectionCounts(1, 1, 1)
    assert deflections(AT, AT) == DeflectionCounts(0, 0, 0)  # until is excluded
