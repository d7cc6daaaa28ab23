"""The weekly support review in Chromium: a lead finds last week's 😐 answer with its comment,
sets the disposition "KB article" with a link (htmx, no reload), and closes the week."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from e2e_helpers import NewSession, sign_in
from playwright.sync_api import expect

from feedback.review_factory import survey
from soporte.feedback.domain.weeks import week_of
from soporte.feedback.models import ReviewWeek

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`

TZ = ZoneInfo("America/Mexico_City")
ARTICLE = "https://trackmyvend.com/Manuales.html#ventas"


def test_the_lead_disposes_of_a_neutral_answer_and_closes_the_week(
    world: Any, new_session: NewSession
) -> None:
    week = week_of(timezone.now(), "America/Mexico_City").shifted(-1)  # ended: may close
    wednesday = datetime.combine(week.monday + timedelta(days=2), time(12), tzinfo=TZ)
    item = survey(
        world,
        answer="neutral",
        comment="Me resolvieron, pero tardaron dos días",
        opened=wednesday - timedelta(hours=4),
        answered_at=wednesday,
    )
    page = new_session()
    sign_in(page, world.agents["lead1"].email, lands_on="/console/all")
    page.get_by_role("link", name="Weekly review").click()
    row = page.locator(f'tr[data-week="{week}"]')
    expect(row).to_contain_text("1")
    row.get_by_role("link", name=str(week)).click()

    card = page.locator(f'[data-survey="{item.pk}"]')
    expect(card).to_contain_text("😐")
    expect(card).to_contain_text("Me resolvieron, pero tardaron dos días")
    close = page.get_by_role("button", name="Close the week")
    expect(close).to_be_disabled()

    card.get_by_label("Disposition").select_option("kb_article")
    card.get_by_role("button", name="Save disposition").click()
    expect(card.get_by_role("alert")).to_contain_text("needs its link")  # a 400, swapped in
    card.get_by_label("Link (KB article or issue)").fill(ARTICLE)
    card.get_by_role("button", name="Save disposition").click()
    expect(card.locator(".disposition")).to_contain_text("KB article")
    expect(card.locator(".disposition a")).to_have_attribute("href", ARTICLE)

    expect(close).to_be_enabled()
    close.click()
    expect(page.locator("#review-close")).to_contain_text("Closed")
    assert ReviewWeek.objects.get(week=str(week)).closed_at is not None
