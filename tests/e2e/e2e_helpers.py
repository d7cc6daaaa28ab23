"""What the browser tests do as people: sign in, file a ticket, reply; and what the desk should
show, computed from the database and the policy the way the pages do."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from soporte.console.presenters import countdown
from soporte.dates import long_when
from soporte.policy import default_policy
from soporte.sla.explain import format_duration
from soporte.sla.models import Clock
from soporte.sla.selectors import ClockView, clock_views, most_urgent
from soporte.tickets.models import Ticket

NewSession = Callable[[], Page]
"""The ``new_session`` fixture: a fresh browser session (one person's cookies), as its page."""

TIME_ZONE = "America/Mexico_City"
"""The browser's time zone: the contacts' (and the desk's), so what the form guesses is known."""

PASSWORD = "pw-12345678"
"""The ``world`` fixture's password for everyone."""

LANG = "en"
"""The language the tests read pages in (chosen on the sign-in page with ``?lang=en``): the
source strings, whatever the translation catalogues hold."""

SEVERITY_DESCRIPTIONS = {
    "P0": "Nobody can use TrackMyVend",
    "P1": "Something you rely on every day does not work",
    "P2": "A secondary feature does not work",
    "P3": "Cosmetic: a typo",
}
"""The start of each severity's plain-language description on the new-ticket form."""


def sign_in(page: Page, email: str, *, lands_on: str) -> None:
    """Sign in on /login/ (in English) and check where the desk sends this person."""
    page.goto(f"/login/?lang={LANG}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(lands_on) + "$"))


def fits_width(page: Page, width: int) -> None:
    """The page is no wider than ``width`` px (the viewport's): nothing to scroll sideways."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll} px"


def status_of(page: Page, url: str) -> int:
    """Open ``url`` in ``page``; the HTTP status of the document."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    return response.status


def ticket_id_from(page: Page, pattern: str) -> int:
    match = re.search(pattern, page.url)
    assert match, f"{page.url} does not match {pattern}"
    return int(match.group(1))


def open_new_ticket_form(page: Page) -> None:
    page.get_by_role("navigation").get_by_role("link", name="New ticket").click()
    expect(page).to_have_url(re.compile(r"/portal/tickets/new$"))


def file_ticket(
    page: Page,
    *,
    subject: str,
    severity: str,
    description: str,
    organisation_id: str | None = None,
    screenshot: Path | None = None,
    url: str = "",
    expected: str = "",
    actual: str = "",
    started_at: str = "",
    still_happening: str | None = None,
) -> int:
    """Fill in and send the portal's "New ticket" form (the page must be open on it); return
    the ticket's number (from the URL of the page that follows). Fields left as None or empty
    keep what the form offers."""
    page.get_by_label("Subject").fill(subject)
    page.get_by_label(SEVERITY_DESCRIPTIONS[severity]).check()
    page.get_by_label("Describe the problem").fill(description)
    if organisation_id is not None:
        page.get_by_label("Your organisation ID").fill(organisation_id)
    if screenshot is not None:
        page.get_by_label("Screenshots or screen recordings").set_input_files(screenshot)
    if url:
        page.get_by_label("The URL you were on").fill(url)
    if expected:
        page.get_by_label("What did you expect to happen?").fill(expected)
    if actual:
        page.get_by_label("What actually happened?").fill(actual)
    if started_at:
        page.get_by_label("When did it start?").fill(started_at)
    if still_happening is not None:
        page.get_by_label(still_happening).check()
    page.get_by_role("button", name="Send ticket").click()
    expect(page).to_have_url(re.compile(r"/portal/tickets/\d+/received$"))
    return ticket_id_from(page, r"/portal/tickets/(\d+)/received$")


def open_suggested(page: Page, link: Locator) -> Page:
    """Click a suggested article's link (it opens a new tab) and return the tab, loaded."""
    with page.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    return tab


def portal_reply(page: Page, ticket_id: int, body: str) -> None:
    page.goto(f"/portal/tickets/{ticket_id}")
    page.get_by_label("Your reply").fill(body)
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("ul.messages")).to_contain_text("Your reply was sent.")
    expect(page.locator("article.message").last).to_contain_text(body)


def console_reply(page: Page, ticket_id: int, body: str) -> None:
    page.goto(f"/console/tickets/{ticket_id}")
    page.get_by_label("Reply or note").fill(body)
    page.get_by_role("button", name="Send reply to customer").click()
    expect(page).to_have_url(re.compile(rf"/console/tickets/{ticket_id}$"))
    expect(page.locator("ul.messages")).to_contain_text("Reply sent.")


def queue_rows(page: Page) -> Locator:
    return page.locator("#queue-rows tr[data-ticket]")


def expect_queue(page: Page, ids: list[int]) -> None:
    """The queue shows tickets ``ids``, in this order (waiting for it, as ``expect`` does)."""
    rows = queue_rows(page)
    expect(rows).to_have_count(len(ids))
    for i, number in enumerate(ids):
        expect(rows.nth(i)).to_have_attribute("data-ticket", str(number))


def first_response(ticket_id: int) -> Clock:
    return Clock.objects.get(ticket_id=ticket_id, kind="first_response")


def when(moment: datetime, zone: ZoneInfo) -> str:
    """A moment as the portal words it in "what happens next" (``tickets.acknowledgement``)."""
    with translation.override(LANG):
        return long_when(moment.astimezone(zone))


def urgent_view(ticket_id: int, now: datetime) -> ClockView:
    """The clock a queue row shows for the ticket at ``now`` (``sla.selectors``)."""
    ticket = Ticket.objects.get(pk=ticket_id)
    view = most_urgent(clock_views(ticket.clocks.all(), now, default_policy()))
    assert view is not None, f"ticket #{ticket_id} has no clock"
    return view


def countdown_around(view: ClockView) -> re.Pattern[str]:
    """Any of ``countdowns_around(view)``, as a pattern for ``expect(...).to_have_text``."""
    return re.compile("^(" + "|".join(re.escape(text) for text in countdowns_around(view)) + ")$")


def countdowns_around(view: ClockView) -> set[str]:
    """The queue's countdown for ``view`` and for a minute either side (the page was rendered a
    moment before ``view`` was computed, and a minute may tick in between)."""
    with translation.override(LANG):
        exact = countdown(view)
        minutes = int(view.remaining.total_seconds() // 60)
        near = {
            translation.gettext("%(amount)s left")
            % {"amount": format_duration(timedelta(minutes=m))}
            for m in (minutes - 1, minutes + 1)
            if m >= 0
        }
    return {exact} | near


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """A small valid PNG (RGB, a red square)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
