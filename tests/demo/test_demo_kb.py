"""The demo desk's knowledge base, pinned FAQs and reports: what `make run` shows first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from soporte.demo import world as demo
from soporte.kb.models import Article, PinProposal, ProposalStatus, Status
from soporte.kb.search import search
from soporte.kb.selectors import pinned
from soporte.reports import facts
from soporte.reports.catalog import reports
from soporte.reports.domain.filters import Filters

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
NOW = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)  # a Thursday, 12:00 in Mexico City


def test_demo_kb_is_bilingual_with_pins_a_proposal_and_three_weeks_of_reports() -> None:
    demo.seed(now=NOW)
    for language in ("es", "en"):
        live = Article.objects.filter(language=language, status=Status.PUBLISHED)
        assert live.count() >= 20
        assert len(pinned(language)) == 10
        waiting = PinProposal.objects.get(language=language, status=ProposalStatus.PENDING)
        assert waiting.article is not None
        assert waiting.article.language == language
        assert len(waiting.weeks) == 3
    assert all(a.source is not None for a in Article.objects.filter(language="en"))
    assert [h.slug for h in search("contrasena", language="es")][:1] == [
        "no-me-llego-el-correo-para-restablecer-mi-contrasena"
    ]
    assert any(a.stale for a in Article.objects.filter(language="en"))

    facts.rebuild(now=NOW)
    period = Filters(start=(NOW - timedelta(days=27)).date(), end=NOW.date())
    trend = reports()["sla_trend"].compute(period, NOW)
    weeks_with_tickets = [row for row in trend.rows if any(isinstance(c, int) and c for c in row)]
    assert len(weeks_with_tickets) >= 3
