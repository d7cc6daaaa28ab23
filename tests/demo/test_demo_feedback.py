"""The demo's CSAT history: every face over the three weeks before the demo's ``now``, comments
on some answers below 👍, one still unanswered; all through the real services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from soporte.demo import feedback
from soporte.feedback.models import Survey
from soporte.tickets.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-12-09T12:00:00-06:00")


def test_the_demo_has_surveys_of_every_face_over_three_weeks(world: Any) -> None:
    contacts = list(world.contacts.values())
    feedback.seed(contacts=contacts, agents=[world.agents["t1"], world.agents["lead1"]], now=NOW)
    surveys = list(Survey.objects.all())
    assert len(surveys) == len(feedback.ANSWERS)
    assert {s.answer for s in surveys} == {"up", "neutral", "down", ""}
    sent = sorted(s.sent_at for s in surveys)
    assert NOW - timedelta(days=21) <= sent[0] < NOW - timedelta(days=20)
    assert NOW - timedelta(days=3) < sent[-1] < NOW
    commented = [s for s in surveys if s.comment]
    assert commented
    assert all(s.answer in ("neutral", "down") for s in commented)
    assert {s.contact for s in surveys} == set(contacts)
    answered = TimelineEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED).count()
    assert answered == len([s for s in surveys if s.answer])


def test_the_demo_has_a_closed_weekly_review_and_one_with_work_left(world: Any) -> None:
    from soporte.feedback import review_selectors
    from soporte.feedback.domain.weeks import week_of
    from soporte.feedback.models import ReviewWeek

    contacts = list(world.contacts.values())
    feedback.seed(contacts=contacts, agents=[world.agents["t1"], world.agents["lead1"]], now=NOW)
    current = week_of(NOW, "America/Mexico_City")
    closed = ReviewWeek.objects.get(closed_at__isnull=False)
    assert closed.week == str(current.shifted(-2))
    last = review_selectors.items(world.agents["lead1"], current.shifted(-1))
    assert last
    assert any(item.disposition is None for item in last)
