"""Counting a week's T1 questions from the desk's tickets (``soporte.kb.questions``, through
``kb.faq.count_week``): which tickets count, in which week, under which question."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from faq_helpers import MONDAY_W47, article, english_contact, solved

from soporte.feedback.domain.weeks import Week
from soporte.kb import faq
from soporte.kb.models import AskedQuestion, QuestionWeek
from soporte.kb.questions import asked_in

W47 = Week(2026, 47)
AFTER = MONDAY_W47 + timedelta(weeks=2)


def counted(week: Week) -> dict[tuple[str, str], int]:
    rows = QuestionWeek.objects.filter(week=str(week))
    return {(r.language, r.question): r.tickets for r in rows}


def test_only_tickets_solved_at_t1_count(world: Any) -> None:
    kept = solved(world, MONDAY_W47 + timedelta(days=1))
    solved(world, MONDAY_W47 + timedelta(days=1), escalate=True)
    assert faq.count_week(week=W47, now=AFTER) == 1
    assert [a.ticket for a in asked_in(W47)] == [kept.pk]


def test_the_week_starts_monday_at_midnight_in_mexico_city(world: Any) -> None:
    sunday_night = solved(world, MONDAY_W47 - timedelta(microseconds=1))
    monday = solved(world, MONDAY_W47)
    sunday_last = solved(world, MONDAY_W47 + timedelta(weeks=1) - timedelta(seconds=1))
    assert {a.ticket for a in asked_in(W47)} == {monday.pk, sunday_last.pk}
    assert [a.ticket for a in asked_in(W47.shifted(-1))] == [sunday_night.pk]


def test_an_article_counts_as_its_source_in_the_requesters_language(world: Any) -> None:
    source = article("ventas-en-cero")
    english = article("sales-show-zero", language="en", source=source)
    solved(world, MONDAY_W47 + timedelta(hours=3), article=source)
    solved(
        world,
        MONDAY_W47 + timedelta(hours=4),
        article=english,
        contact=english_contact(world),
        subject="Sales show zero",
        body="My dashboard shows zero sales since yesterday.",
    )
    faq.count_week(week=W47, now=AFTER)
    key = f"article:{source.pk}"
    assert counted(W47) == {("es", key): 1, ("en", key): 1}
    assert QuestionWeek.objects.get(language="en").article == source


def test_similar_tickets_without_an_article_are_one_question(world: Any) -> None:
    first = solved(world, MONDAY_W47 + timedelta(hours=3))
    solved(
        world,
        MONDAY_W47 + timedelta(days=2),
        subject="no aparecen mis ventas!!",
        body="desde ayer no veo las ventas de la maquina 12 en el tablero",
    )
    other = solved(
        world,
        MONDAY_W47 + timedelta(days=3),
        subject="Cambiar la contraseña",
        body="Quiero cambiar la contraseña de mi usuario administrador.",
    )
    faq.count_week(week=W47, now=AFTER)
    assert counted(W47) == {("es", f"ticket:{first.pk}"): 2, ("es", f"ticket:{other.pk}"): 1}
    # the next week's ticket reads alike: it joins the same question
    later = solved(world, MONDAY_W47 + timedelta(days=8), subject="No aparecen las ventas")
    faq.count_week(week=W47.shifted(1), now=AFTER)
    assert AskedQuestion.objects.get(ticket=later).question == f"ticket:{first.pk}"


def test_a_recount_replaces_the_count_and_a_week_not_ended_is_refused(world: Any) -> None:
    solved(world, MONDAY_W47 + timedelta(hours=3))
    faq.count_week(week=W47, now=AFTER)
    solved(world, MONDAY_W47 + timedelta(hours=5), subject="Otra cosa", body="Factura duplicada")
    assert faq.count_week(week=W47, now=AFTER) == 2
    assert sum(counted(W47).values()) == 2
    assert AskedQuestion.objects.count() == 2
    with pytest.raises(faq.FaqError) as refused:
        faq.count_week(week=W47, now=MONDAY_W47 + timedelta(days=6))
    assert refused.value.field == "week"
