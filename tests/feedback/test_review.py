"""The weekly review on the database: items by week (edges in Mexico City), dispositions,
closing, and a changed answer reopening a closed week."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from feedback.review_factory import executives, survey
from soporte.feedback import review, review_selectors
from soporte.feedback import services as csat
from soporte.feedback.domain.weeks import Week
from soporte.feedback.models import ReviewWeek
from soporte.tickets.models import EventKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The refusals checked below, in the source language whatever the catalogues hold."""
    with translation.override("en"):
        yield


TZ = ZoneInfo("America/Mexico_City")
W49, W50 = Week(2026, 49), Week(2026, 50)
SUNDAY_LAST = datetime(2026, 12, 6, 23, 59, 59, tzinfo=TZ)
MONDAY_FIRST = datetime(2026, 12, 7, 0, 0, tzinfo=TZ)
LATER = datetime(2026, 12, 8, 12, 0, tzinfo=TZ)


def ids(week: Week) -> list[int]:
    return [item.survey.pk for item in review_selectors.week_items(week)]


def test_sunday_235959_is_last_week_and_monday_0000_the_next(world: Any) -> None:
    sunday = survey(world, answer="neutral", answered_at=SUNDAY_LAST)
    monday = survey(world, answer="down", answered_at=MONDAY_FIRST)
    survey(world, answer="up", answered_at=SUNDAY_LAST)  # the best answer: no item
    survey(world, answer="")  # not answered
    survey(world, answer="down", answered_at=SUNDAY_LAST, voided=True)
    assert ids(W49) == [sunday.pk]
    assert ids(W50) == [monday.pk]


def test_an_item_shows_tier_history_clocks_and_business_time_to_resolution(world: Any) -> None:
    opened = datetime(2026, 12, 4, 17, 0, tzinfo=TZ)  # Friday 17:00
    resolved = datetime(2026, 12, 7, 10, 30, tzinfo=TZ)  # Monday 10:30: 1 h + 1 h 30 min
    item_survey = survey(
        world, answer="down", opened=opened, resolved=resolved, escalate=2, comment="Lento"
    )
    (item,) = review_selectors.week_items(W50)
    assert item.survey == item_survey
    assert item.tiers == ["T1", "T2", "T3"]
    assert item.to_resolution == timedelta(hours=2, minutes=30)
    assert (item.survey.first_response, item.survey.comment) == ("met", "Lento")
    assert item.disposition is None


def test_only_reviewers_read_the_weeks(world: Any) -> None:
    survey(world, answer="neutral", answered_at=LATER)
    people = executives(world)
    for who in people.values():
        assert review_selectors.items(who, W50)
    assert review_selectors.items(world.agents["t3"], W50) == []
    assert review_selectors.weeks(world.agents["t3"], now=LATER) == []
    summary = review_selectors.weeks(people["lead"], now=LATER, count=3)
    assert [(s.week, s.items, s.disposed, s.closed) for s in summary] == [
        (W50, 1, 0, False),
        (W49, 0, 0, False),
        (Week(2026, 48), 0, 0, False),
    ]


def test_an_older_week_with_undisposed_items_stays_listed(world: Any) -> None:
    old = datetime(2026, 6, 3, 12, 0, tzinfo=TZ)
    survey(world, answer="down", answered_at=old)
    weeks = [s.week for s in review_selectors.weeks(world.agents["lead1"], now=LATER, count=2)]
    assert weeks == [W50, W49, Week(2026, 23)]


def test_a_disposition_needs_its_text_and_names_the_field(world: Any) -> None:
    item = survey(world, answer="neutral", answered_at=LATER)
    lead = world.agents["lead1"]
    with pytest.raises(review.ReviewError) as caught:
        review.dispose(agent=lead, survey=item, kind="kb_article", at=LATER)
    assert caught.value.field == "link"
    with pytest.raises(review.ReviewError) as caught:
        review.dispose(agent=lead, survey=item, kind="coaching", at=LATER)
    assert caught.value.field == "note"
    done = review.dispose(
        agent=lead, survey=item, kind="product_fix", link="https://issues.example/12", at=LATER
    )
    assert (done.kind, done.link, done.decided_by, done.decided_at) == (
        "product_fix",
        "https://issues.example/12",
        lead,
        LATER,
    )
    changed = review.dispose(agent=lead, survey=item, kind="no_action", reason="dup", at=LATER)
    assert (changed.pk, changed.kind, changed.link, changed.reason) == (
        done.pk,
        "no_action",
        "",
        "dup",
    )


def test_a_plain_agent_cannot_dispose_and_a_best_answer_is_no_item(world: Any) -> None:
    good = survey(world, answer="up", answered_at=LATER)
    with pytest.raises(review.ReviewError):
        review.dispose(
            agent=world.agents["t1"], survey=good, kind="no_action", reason="x", at=LATER
        )
    with pytest.raises(review.ReviewError, match="not an item"):
        review.dispose(
            agent=world.agents["lead1"], survey=good, kind="no_action", reason="x", at=LATER
        )


def test_closing_needs_the_week_over_and_every_item_disposed(world: Any) -> None:
    lead = world.agents["lead1"]
    first = survey(world, answer="neutral", answered_at=SUNDAY_LAST - timedelta(days=2))
    second = survey(world, answer="down", answered_at=SUNDAY_LAST)
    review.dispose(agent=lead, survey=first, kind="coaching", note="Pide el ID", at=SUNDAY_LAST)
    with pytest.raises(review.ReviewError, match="has not ended"):
        review.close_week(agent=lead, week=W49, at=SUNDAY_LAST)
    with pytest.raises(review.ReviewError, match="1 left"):
        review.close_week(agent=lead, week=W49, at=MONDAY_FIRST)
    review.dispose(agent=lead, survey=second, kind="no_action", reason="ya resuelto", at=LATER)
    row = review.close_week(agent=lead, week=W49, at=LATER)
    assert (row.closed_at, row.closed_by) == (LATER, lead)
    with pytest.raises(review.ReviewError, match="already closed"):
        review.close_week(agent=lead, week=W49, at=LATER)
    with pytest.raises(review.ReviewError, match="is closed"):
        review.dispose(agent=lead, survey=second, kind="no_action", reason="otro", at=LATER)


def test_an_answer_changed_after_the_close_reopens_the_week_with_a_timeline_note(
    world: Any,
) -> None:
    lead = world.agents["lead1"]
    sent = datetime(2026, 12, 2, 12, 0, tzinfo=TZ)
    happy = survey(world, answer="up", answered_at=sent + timedelta(hours=1), resolved=sent)
    review.close_week(agent=lead, week=W49, at=LATER)  # no items: closes
    changed_at = LATER + timedelta(hours=1)
    csat.answer(survey=happy, answer="neutral", comment="Tardó mucho", at=changed_at)
    row = ReviewWeek.objects.get(week="2026-W49")
    assert (row.closed_at, row.closed_by, row.reopened_at) == (None, None, changed_at)
    note = happy.ticket.timeline.get(kind=EventKind.REVIEW_REOPENED)
    assert (note.at, note.data["week"], note.data["answer"]) == (changed_at, "2026-W49", "neutral")
    assert ids(W49) == [happy.pk]  # an item of its first answer's week, not of this one
    review.dispose(agent=lead, survey=happy, kind="coaching", note="Responde antes", at=changed_at)
    review.close_week(agent=lead, week=W49, at=changed_at)
    csat.answer(survey=happy, answer="down", at=changed_at + timedelta(hours=1))
    assert ReviewWeek.objects.get(week="2026-W49").closed_at == changed_at  # disposed: closed
    csat.answer(survey=happy, answer="up", at=changed_at + timedelta(hours=2))
    assert ids(W49) == []  # back to 👍: no longer an item, the week stays closed
    assert ReviewWeek.objects.get(week="2026-W49").closed_at == changed_at
