"""The customer portal in Chromium: filing a ticket with a screenshot, and organisation walls."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from e2e_helpers import (
    LANG,
    TIME_ZONE,
    NewSession,
    file_ticket,
    first_response,
    open_new_ticket_form,
    png_bytes,
    sign_in,
    status_of,
    when,
)
from playwright.sync_api import expect

from soporte.dates import short_when
from soporte.policy import default_policy
from soporte.portal.access import zone_of
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Message, Ticket

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_contact_files_a_ticket_with_a_screenshot_and_sees_the_promised_due_time(
    world: Any, new_session: NewSession, tmp_path: Path
) -> None:
    contact = world.contacts["pro"]
    page = new_session()
    sign_in(page, contact.email, lands_on="/portal/")

    # A real screenshot, taken the way a customer would: of the page they are looking at.
    screenshot = tmp_path / "ventas-totales-en-cero.png"
    page.screenshot(path=str(screenshot))
    png = screenshot.read_bytes()
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 1000

    open_new_ticket_form(page)
    # What the form fills in by itself: the organisation, and the browser's guesses.
    expect(page.get_by_label("Your organisation ID")).to_have_value(str(contact.organisation_id))
    expect(page.get_by_label("Browser and operating system")).to_have_value(
        re.compile(r"^Chrome \d+ on Linux$")
    )
    expect(page.get_by_label("Time zone")).to_have_value(TIME_ZONE)
    # Every severity is offered with its plain-language description.
    for code, start in [
        ("P0", "Nobody can use TrackMyVend"),
        ("P1", "Something you rely on every day does not work"),
        ("P2", "A secondary feature does not work"),
        ("P3", "Cosmetic: a typo"),
    ]:
        expect(page.get_by_label(start)).to_have_value(code)

    before = timezone.now()
    number = file_ticket(
        page,
        subject="Ventas totales hoy shows $0",
        severity="P1",
        description="The dashboard total is $0 although the Reportes table lists 14 sales.",
        organisation_id=str(contact.organisation_id),
        screenshot=screenshot,
        url="https://app.trackmyvend.com/dashboard",
        expected="Ventas totales hoy shows the day's sales",
        actual="It shows $0",
        started_at="today around 14:30",
        still_happening="Yes, it is still happening",
    )
    after = timezone.now()

    # What was stored: the ticket, the seven fields, the screenshot byte for byte, the clock.
    ticket = Ticket.objects.get(pk=number)
    assert ticket.requester_id == contact.pk
    assert (ticket.channel, ticket.severity, ticket.tier, ticket.status) == (
        "portal",
        "P1",
        "T1",
        "new",
    )
    assert before <= ticket.opened_at <= after
    assert ticket.completeness == 7
    assert ticket.intake_started_at == f"today around 14:30 ({TIME_ZONE})"
    assert ticket.intake_browser_os.startswith("Chrome ")
    [attachment] = ticket.attachments.all()
    assert attachment.content_type == "image/png"
    with attachment.file.open("rb") as stored:
        assert stored.read() == png

    policy = default_policy()
    target = policy.first_response_target("pro", "P1")
    assert target.text == "4 bh"
    clock = first_response(number)
    assert clock.started_at == ticket.opened_at
    assert clock.due_at == policy.calendar.add(ticket.opened_at, target.amount)

    # What the page promises: the number, the due time in the contact's zone, nothing missing.
    zone = zone_of(contact)
    assert zone == ZoneInfo(TIME_ZONE)
    expect(page.locator("h1")).to_have_text(f"We received your ticket #{number}")
    card = page.locator(".card")
    expect(card).to_contain_text(f"Your ticket number is #{number}.")
    expect(card).to_contain_text(
        f"We will answer by {when(clock.due_at, zone)} at the latest (4 business hours: Monday "
        "to Friday"
    )
    open_before, open_after = policy.calendar.is_open(before), policy.calendar.is_open(after)
    if open_before and open_after:
        expect(card).not_to_contain_text("Support is closed right now")
    elif not open_before and not open_after:
        resumes = when(policy.calendar.next_open(after), zone)
        expect(card).to_contain_text(f"Support is closed right now; it resumes {resumes}.")
    expect(page.locator("#missing")).to_have_count(0)
    expect(page.locator(".clock-met")).to_have_text(
        "Thank you: your ticket has everything we ask for."
    )

    # The ticket's page repeats the due time; the screenshot opens for its owner.
    page.get_by_role("link", name="Go to the ticket").click()
    expect(page).to_have_url(re.compile(rf"/portal/tickets/{number}$"))
    with translation.override(LANG), timezone.override(zone):
        due = short_when(timezone.localtime(clock.due_at))
    expect(page.locator("aside")).to_contain_text(f"First response: Due by {due}")
    link = page.get_by_role("link", name=attachment.filename)
    href = f"/attachments/{attachment.pk}"
    expect(link).to_have_attribute("href", href)
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert response.body() == png


def test_contact_of_another_organisation_cannot_open_a_ticket_nor_its_attachment(
    world: Any, new_session: NewSession
) -> None:
    owner, stranger = world.contacts["pro"], world.contacts["enterprise"]
    assert owner.organisation_id != stranger.organisation_id
    png = png_bytes()
    ticket = services.open_ticket(
        requester=owner,
        channel="portal",
        severity="P2",
        subject="Export to Excel fails",
        body="The export button spins forever.",
        intake=Intake(),
        uploads=[SimpleUploadedFile("export.png", png, content_type="image/png")],
        now=timezone.now(),
    )
    [attachment] = ticket.attachments.all()
    urls = [
        f"/portal/tickets/{ticket.pk}",
        f"/portal/tickets/{ticket.pk}/received",
        f"/attachments/{attachment.pk}",
    ]

    # The owner opens all of it (so the 404s below are about who asks, not about the URLs).
    mine = new_session()
    sign_in(mine, owner.email, lands_on="/portal/")
    for url in urls:
        assert status_of(mine, url) == 200, url
    assert mine.request.get(urls[2]).body() == png

    other = new_session()
    sign_in(other, stranger.email, lands_on="/portal/")
    expect(other.locator("main")).not_to_contain_text("Export to Excel fails")
    for url in urls:
        assert status_of(other, url) == 404, url
        expect(other.locator("h1")).to_have_text("Page not found")
        expect(other.locator("body")).not_to_contain_text("Export to Excel fails")
        expect(other.locator("img")).to_have_count(0)
    assert other.request.get(urls[2]).status == 404

    # Nor can they write on it (a forged form post with a valid CSRF token).
    token = next(c["value"] for c in other.context.cookies() if c["name"] == "csrftoken")
    response = other.request.post(
        f"/portal/tickets/{ticket.pk}/reply",
        form={"csrfmiddlewaretoken": token, "body": "I can see your ticket"},
    )
    assert response.status == 404
    assert not Message.objects.filter(ticket=ticket, body__contains="I can see").exists()
