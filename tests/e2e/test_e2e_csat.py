"""CSAT end to end: an agent solves a ticket, the solved notice reaches a real SMTP server with
the survey's three links; a link prefetcher (GET only, no script) records nothing; the customer
opens the 😐 link in Chromium, the page records it from the browser, and their comment is saved."""

from __future__ import annotations

import re
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from e2e_helpers import NewSession
from playwright.sync_api import expect

from channels.smtp_server import SmtpServer, smtp_server
from soporte.feedback.models import Survey
from soporte.jobs import services as jobs
from survey_helpers import solved

__all__ = ["smtp_server"]

pytestmark = pytest.mark.slow  # starts an SMTP server and a browser


def test_the_customer_answers_the_survey_from_the_solved_email(
    world: Any, new_session: NewSession, smtp_server: SmtpServer, live_server: Any
) -> None:
    customer = world.contacts["pro"]
    customer.locale = "en"
    customer.save(update_fields=["locale"])
    now = timezone.now()
    ticket = solved(world, opened=now - timedelta(hours=2), at=now)
    while jobs.run_due(worker="e2e", now=timezone.now()):
        pass

    [email] = [m for m in smtp_server.messages() if "Solved" in m["Subject"]]
    text = email.get_body(preferencelist=("plain",)).get_content()
    base = re.escape(settings.PUBLIC_BASE_URL)
    found = dict(re.findall(r"(?m)^(\S+) [^:\n]+: " + base + r"(/csat/\S+)", text))
    assert set(found) == {"👍", "😐", "👎"}

    for path in found.values():  # a link scanner: fetches every link, runs no script
        with urllib.request.urlopen(live_server.url + path) as response:
            assert response.status == 200
    survey = Survey.objects.get(ticket=ticket)
    assert survey.answer == ""

    page = new_session()
    page.goto(found["😐"])
    expect(page.get_by_role("heading", name="Thank you for your answer!")).to_be_visible()
    expect(page.get_by_role("button", name="😐 Okay")).to_have_attribute("aria-pressed", "true")
    survey.refresh_from_db()
    assert survey.answer == "neutral"

    page.get_by_label("Anything you want to add? (optional)").fill("It took two days.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Thank you: we saved your comment.")).to_be_visible()
    survey.refresh_from_db()
    assert (survey.answer, survey.comment) == ("neutral", "It took two days.")
