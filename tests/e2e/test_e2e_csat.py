"""CSAT and the weekly review end to end, as one flow. An agent solves a ticket last Wednesday;
the solved notice reaches a real SMTP server with the survey's three links; a link prefetcher
(GET only, no script) records nothing; the customer opens the 😐 link in Chromium, the page
records it from the browser, and their comment is saved. Then, today, a lead opens last week's
review, finds the answer with its comment, sets the disposition "KB article" with a link (htmx,
no reload), and closes the week.

The customer's part runs with the process clock (the live server's too) moved back to last
Wednesday, so the answer lands in a week that has ended and may close."""

from __future__ import annotations

import re
import urllib.request
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from e2e_helpers import NewSession, sign_in
from playwright.sync_api import expect

from channels.smtp_server import SmtpServer, smtp_server
from soporte.feedback.domain.weeks import week_of
from soporte.feedback.models import ReviewWeek, Survey
from soporte.jobs import services as jobs
from survey_helpers import solved

__all__ = ["smtp_server"]

pytestmark = pytest.mark.slow  # starts an SMTP server and a browser

TZ = ZoneInfo("America/Mexico_City")
ARTICLE = "https://trackmyvend.com/Manuales.html#ventas"


def test_a_neutral_answer_from_the_solved_email_is_disposed_of_in_the_weekly_review(
    world: Any, new_session: NewSession, smtp_server: SmtpServer, live_server: Any
) -> None:
    customer = world.contacts["pro"]
    customer.locale = "en"
    customer.save(update_fields=["locale"])
    week = week_of(timezone.now(), "America/Mexico_City").shifted(-1)  # ended: may close
    wednesday = datetime.combine(week.monday + timedelta(days=2), time(12), tzinfo=TZ)
    ticket = solved(world, opened=wednesday - timedelta(hours=4), at=wednesday)
    while jobs.run_due(worker="e2e", now=timezone.now()):
        pass

    [email] = [m for m in smtp_server.messages() if "Solved" in m["Subject"]]
    text = email.get_body(preferencelist=("plain",)).get_content()
    base = re.escape(settings.PUBLIC_BASE_URL)
    found = dict(re.findall(r"(?m)^(\S+) [^:\n]+: " + base + r"(/csat/\S+)", text))
    assert set(found) == {"👍", "😐", "👎"}
    survey = Survey.objects.get(ticket=ticket)

    with time_machine.travel(wednesday + timedelta(minutes=30), tick=True):
        for path in found.values():  # a link scanner: fetches every link, runs no script
            with urllib.request.urlopen(live_server.url + path) as response:
                assert response.status == 200
        survey.refresh_from_db()
        assert survey.answer == ""

        customer_page = new_session()
        customer_page.goto(found["😐"])
        expect(
            customer_page.get_by_role("heading", name="Thank you for your answer!")
        ).to_be_visible()
        expect(customer_page.get_by_role("button", name="😐 Okay")).to_have_attribute(
            "aria-pressed", "true"
        )
        survey.refresh_from_db()
        assert survey.answer == "neutral"

        customer_page.get_by_label("Anything you want to add? (optional)").fill("It took two days.")
        customer_page.get_by_role("button", name="Send comment").click()
        expect(customer_page.get_by_text("Thank you: we saved your comment.")).to_be_visible()
        survey.refresh_from_db()
        assert (survey.answer, survey.comment) == ("neutral", "It took two days.")

    page = new_session()
    sign_in(page, world.agents["lead1"].email, lands_on="/console/all")
    page.get_by_role("link", name="Weekly review").click()
    row = page.locator(f'tr[data-week="{week}"]')
    expect(row).to_contain_text("1")
    row.get_by_role("link", name=str(week)).click()

    card = page.locator(f'[data-survey="{survey.pk}"]')
    expect(card).to_contain_text("😐")
    expect(card).to_contain_text("It took two days.")
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
