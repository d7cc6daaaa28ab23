"""The weekly chains (the Monday digest, the pinned FAQs' count) start with the first ticket
opened once they are ready, not at the next worker start: one job each, due the next Monday at
09:00 in Mexico City after the ticket was written."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from soporte.accounts.models import Agent
from soporte.feedback import digest
from soporte.jobs.models import Job
from soporte.kb import faq_week
from survey_helpers import solved

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("America/Mexico_City")
WEDNESDAY = datetime(2026, 12, 2, 12, 0, tzinfo=TZ)
"""Wednesday 2 December 2026 (ISO week 2026-W49), noon in Mexico City."""
DUE = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
"""The Monday after, 09:00: the digest of 2026-W49 and the count of its questions."""


def chain(kind: str) -> list[tuple[str, datetime, dict[str, Any]]]:
    return [(j.key, j.due_at, j.payload) for j in Job.objects.filter(kind=kind)]


def test_the_first_ticket_starts_both_chains_once(world: Any) -> None:
    solved(world, opened=WEDNESDAY, at=WEDNESDAY)
    solved(world, "starter", opened=WEDNESDAY, at=WEDNESDAY)

    assert chain(digest.DIGEST) == [("feedback.digest:2026-W49", DUE, {"week": "2026-W49"})]
    assert chain(faq_week.FAQ_WEEK) == [("kb.faq:2026-W49", DUE, {"week": "2026-W49"})]


def test_the_digest_starts_with_the_first_ticket_after_a_lead_exists(world: Any) -> None:
    readers = Agent.objects.filter(pk__in=[a.pk for a in digest.recipients()])
    readers.update(role="agent")
    solved(world, opened=WEDNESDAY, at=WEDNESDAY)
    assert chain(digest.DIGEST) == []  # nobody to send it to yet

    readers.update(role="lead")
    solved(world, "starter", opened=WEDNESDAY, at=WEDNESDAY)

    assert chain(digest.DIGEST) == [("feedback.digest:2026-W49", DUE, {"week": "2026-W49"})]
