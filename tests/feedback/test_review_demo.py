"""The demo's reviews: the week before last disposed of and closed, last week all but one."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from feedback.review_factory import survey
from soporte.demo.review import review_weeks
from soporte.feedback.domain.weeks import Week
from soporte.feedback.models import ReviewDisposition, ReviewWeek

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("America/Mexico_City")
NOW = datetime(2026, 12, 9, 10, 0, tzinfo=TZ)  # Wednesday of 2026-W50


def test_the_demo_closes_the_week_before_last_and_leaves_one_item_of_last_week(
    world: Any,
) -> None:
    answered = []
    for week in (Week(2026, 48), Week(2026, 49), Week(2026, 50)):
        noon = datetime.combine(week.monday + timedelta(days=1), time(12), tzinfo=TZ)
        for n, face in enumerate(("up", "neutral", "down")):
            at = noon + timedelta(hours=n)
            answered.append(
                survey(world, answer=face, answered_at=at, opened=at - timedelta(hours=4))
            )
    closed = review_weeks(surveys=answered, now=NOW)
    assert [row.week for row in closed] == ["2026-W48"]
    assert ReviewWeek.objects.get(week="2026-W48").closed_at == NOW
    disposed = set(ReviewDisposition.objects.values_list("survey__answered_at", flat=True))
    assert len(disposed) == 3  # W48: 😐 and 👎; W49: the 😐, its 👎 left open
    assert not ReviewWeek.objects.filter(week="2026-W49", closed_at__isnull=False).exists()
