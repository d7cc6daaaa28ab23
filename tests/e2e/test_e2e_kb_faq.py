"""The pinned FAQs in Chromium: three weeks of the same T1 question make a proposal; a lead
accepts it in the console and the article heads ``/kb/``; a lead pins an article by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from e2e_helpers import NewSession, sign_in
from playwright.sync_api import expect

from kb.faq_helpers import MONDAY_W47, article, english_contact, solved
from soporte.feedback.domain.weeks import Week
from soporte.kb import faq
from soporte.kb.models import PinnedFaq, PinProposal

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`

W49 = Week(2026, 49)
AFTER = MONDAY_W47 + timedelta(weeks=3, hours=9)


def test_a_lead_accepts_a_proposal_and_the_article_heads_the_kb(
    world: Any, new_session: NewSession
) -> None:
    answer = article("sales-show-zero", language="en")
    bob = english_contact(world)
    for week in range(3):
        solved(world, MONDAY_W47 + timedelta(weeks=week, days=1), article=answer, contact=bob)
        faq.count_week(week=W49.shifted(week - 2), now=AFTER)
    faq.apply_rule(week=W49, now=AFTER)
    proposal = PinProposal.objects.get(language="en")

    page = new_session()
    page.goto("/kb/")
    expect(page.locator(".kb-pinned")).to_have_count(0)
    sign_in(page, world.agents["lead1"].email, lands_on="/console/all")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("link", name="Pinned FAQs").click()
    card = page.locator(f'[data-proposal="{proposal.pk}"]')
    expect(card).to_contain_text("Sales show zero")
    expect(card).to_contain_text("2026-W47, 2026-W48, 2026-W49")
    card.get_by_role("button", name="Accept").click()
    english = page.locator("#faq-en")
    expect(english.locator(".kb-faq-pins")).to_contain_text("Sales show zero")
    expect(english.locator('tr[data-change="pinned"]')).to_contain_text("2026-W49")

    page.goto("/kb/")
    expect(page.locator(".kb-pinned li").first).to_have_text("Sales show zero")


def test_a_lead_pins_an_article_by_hand_at_the_top(world: Any, new_session: NewSession) -> None:
    first = article("sales-show-zero", language="en")
    PinnedFaq.objects.create(language="en", article=first, pinned_at=AFTER)
    chosen = article("change-the-password", language="en")

    page = new_session()
    sign_in(page, world.agents["lead1"].email, lands_on="/console/all")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("link", name="Pinned FAQs").click()
    english = page.locator("#faq-en")
    english.get_by_label("Article to pin").select_option(label=chosen.title)
    english.get_by_label("Place").select_option("1")
    english.get_by_role("button", name="Pin", exact=True).click()
    rows = english.locator(".kb-faq-pins tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(chosen.title)
    expect(english.locator('tr[data-change="pinned"]')).to_contain_text("at place 1")

    page.goto("/kb/")  # the browser asks for English
    expect(page.locator(".kb-pinned li")).to_have_text([chosen.title, first.title])
