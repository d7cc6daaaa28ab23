"""The agent console in Chromium: the T1 queue's countdown, a reply meeting the clock, the
automatic move to T2, and a breach appearing without a reload."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from e2e_helpers import (
    LANG,
    NewSession,
    console_reply,
    countdown_around,
    expect_queue,
    file_ticket,
    first_response,
    open_new_ticket_form,
    portal_reply,
    queue_rows,
    sign_in,
    status_of,
    urgent_view,
)
from playwright.sync_api import Locator, expect

from soporte.dates import short_when
from soporte.policy import default_policy
from soporte.policy.durations import Basis
from soporte.sla.domain import ClockStatus
from soporte.tickets import services
from soporte.tickets.acknowledgement import FIELD_LABELS
from soporte.tickets.domain.intake import Intake, IntakeField
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`

BREACH_IN = timedelta(seconds=10)
"""How long after it is created the near-breach ticket breaches: long enough to load the queue
and see it at risk first, short enough that the first refresh (15 s after load) sees the breach."""

BACKGROUNDS = {  # (row, countdown badge): soporte.css
    "at-risk": ("rgb(255, 250, 242)", "rgb(255, 241, 224)"),
    "breached": ("rgb(255, 245, 245)", "rgb(253, 231, 231)"),
}


def expect_backgrounds(row: Locator, badge: Locator, state: str) -> None:
    row_colour, badge_colour = BACKGROUNDS[state]
    expect(row).to_have_css("background-color", row_colour)
    expect(badge).to_have_css("background-color", badge_colour)


def _email_ticket(world: Any, plan: str, severity: str, subject: str, **kw: Any) -> Ticket:
    return services.open_ticket(
        requester=world.contacts[plan],
        channel="email",
        severity=severity,
        subject=subject,
        body=subject,
        intake=Intake(),
        now=kw.pop("now", timezone.now()),
        **kw,
    )


def _console_time(moment: datetime) -> str:
    """A moment as the console's templates print it (the desk's zone, English)."""
    with translation.override(LANG):
        return short_when(timezone.localtime(moment))


def test_t1_agent_sees_the_new_ticket_first_with_its_countdown_replies_and_the_clock_is_met(
    world: Any, new_session: NewSession
) -> None:
    # Other T1 work, due later than a Pro P1 (4 bh): Pro P2 (1 bd) and Starter P3 (5 bd).
    p2 = _email_ticket(world, "pro", "P2", "Report filter ignores the date")
    p3 = _email_ticket(world, "starter", "P3", "Typo on the invoices page")

    contact = world.contacts["pro"]
    portal = new_session()
    sign_in(portal, contact.email, lands_on="/portal/")
    open_new_ticket_form(portal)
    number = file_ticket(
        portal,
        subject="Sales are not recorded since noon",
        severity="P1",
        description="Machine 14 sold 20 items, the dashboard shows none.",
    )
    clock = first_response(number)
    assert clock.due_at < first_response(p2.pk).due_at < first_response(p3.pk).due_at

    console = new_session()
    sign_in(console, world.agents["t1"].email, lands_on="/console/queue/T1")
    expect(queue_rows(console)).to_have_count(3)
    view = urgent_view(number, timezone.now())  # right after the page was rendered
    expect_queue(console, [number, p2.pk, p3.pk])
    top = queue_rows(console).first
    expect(top).to_contain_text("Sales are not recorded since noon")
    assert view.clock.pk == clock.pk
    assert view.status is ClockStatus.ON_TRACK
    expect(top.locator("td.sla .badge")).to_have_text(countdown_around(view))
    expect(top.locator("td.sla .badge")).to_have_class(re.compile(r"\bclock-on-track\b"))
    expect(top.locator("td.sla .small")).to_have_text(
        f"First response · due {_console_time(clock.due_at)}"
    )

    top.get_by_role("link", name=f"#{number}").click()
    expect(console).to_have_url(re.compile(rf"/console/tickets/{number}$"))
    panel = console.locator('#sla-panel [data-clock="first_response"]')
    expect(panel.locator(".badge")).to_have_text("On track")

    before_reply = timezone.now()
    console_reply(console, number, "Thanks, we are looking at machine 14's sales feed now.")
    after_reply = timezone.now()

    clock.refresh_from_db()
    assert clock.fulfilled_at is not None
    assert before_reply <= clock.fulfilled_at <= after_reply
    expect(panel).to_have_class(re.compile(r"\bclock-met-panel\b"))
    expect(panel.locator(".badge")).to_have_text("Met")
    expect(panel.locator("dd.clock-met")).to_have_text("fulfilled, target met")
    fulfilled = _console_time(clock.fulfilled_at)
    expect(panel.locator('dt:text-is("Fulfilled") + dd')).to_have_text(fulfilled)
    expect(console.locator("ol.timeline li.event-clock_fulfilled")).to_contain_text(
        "First response clock fulfilled after"
    )
    expect(console.locator("ol.timeline li.event-clock_fulfilled")).to_contain_text("target met")
    # The customer sees it answered in the portal too.
    portal.goto(f"/portal/tickets/{number}")
    expect(portal.locator("aside .clock-met")).to_contain_text("Answered")


def test_two_back_and_forths_move_the_ticket_from_the_t1_to_the_t2_queue(
    world: Any, new_session: NewSession
) -> None:
    contact = world.contacts["starter"]
    portal = new_session()
    sign_in(portal, contact.email, lands_on="/portal/")
    open_new_ticket_form(portal)
    number = file_ticket(
        portal,
        subject="Cannot register a new machine",
        severity="P2",
        description="The serial number is rejected as invalid.",
    )
    # Filed with only what the form fills in by itself (organisation ID, browser and OS):
    # the confirmation lists exactly the other five fields, in the policy's order.
    with translation.override(LANG):
        missing = [
            str(FIELD_LABELS[field])
            for field in (
                IntakeField.SCREENSHOT,
                IntakeField.URL,
                IntakeField.EXPECTED_VS_ACTUAL,
                IntakeField.STARTED_AT,
                IntakeField.STILL_HAPPENING,
            )
        ]
    expect(portal.locator("#missing li")).to_have_text(missing)
    assert Ticket.objects.get(pk=number).completeness == 2

    t1 = new_session()
    sign_in(t1, world.agents["t1"].email, lands_on="/console/queue/T1")
    expect_queue(t1, [number])

    console_reply(t1, number, "Which serial number did you type?")
    portal_reply(portal, number, "TMV-0042-XY, from the sticker.")
    console_reply(t1, number, "Please send a photo of the sticker.")
    assert Ticket.objects.get(pk=number).tier == "T1"  # one back-and-forth is not enough
    t1.goto("/console/queue/T1")
    expect_queue(t1, [number])

    portal_reply(portal, number, "I have no camera here, the number is TMV-0042-XY.")

    ticket = Ticket.objects.get(pk=number)
    assert (ticket.tier, ticket.status) == ("T2", "open")
    t1.goto("/console/queue/T1")
    expect(t1.locator("#queue-rows")).to_contain_text("No tickets here.")
    expect_queue(t1, [])
    # T1 still reads it (read-only) and finds it under "I took part".
    assert status_of(t1, f"/console/tickets/{number}") == 200
    t1.goto("/console/participated")
    expect_queue(t1, [number])

    t2 = new_session()
    sign_in(t2, world.agents["t2"].email, lands_on="/console/queue/T2")
    expect_queue(t2, [number])
    queue_rows(t2).first.get_by_role("link", name=f"#{number}").click()
    expect(t2).to_have_url(re.compile(rf"/console/tickets/{number}$"))
    escalated = t2.locator("ol.timeline li.event-escalated")
    expect(escalated).to_have_count(1)
    expect(escalated).to_contain_text(
        "Escalated automatically T1 → T2. Reason: 2 back-and-forths at T1 without a solution"
    )
    expect(escalated).to_contain_text("· soporte")  # no person: the desk did it
    # It came right after the customer's second reply.
    expect(t2.locator("ol.timeline li").last).to_have_class("event-escalated")


def _near_breach(world: Any, breach_at: datetime) -> Ticket:
    """A T1 ticket whose first-response clock breaches at ``breach_at``: a business-time clock
    (Enterprise P1, 1 bh) when support is open from an hour before until after ``breach_at``;
    otherwise an Enterprise P0, whose 15 min 24/7 clock runs at any hour."""
    policy = default_policy()
    calendar = policy.calendar
    target = policy.first_response_target("enterprise", "P1")
    received = breach_at - target.amount
    minute = timedelta(minutes=1)
    business_hours_fit = (
        target.basis is Basis.BUSINESS
        and calendar.elapsed(received, breach_at + minute) == target.amount + minute
    )
    severity = "P1" if business_hours_fit else "P0"
    if not business_hours_fit:
        target = policy.first_response_target("enterprise", "P0")
        assert target.basis is Basis.WALL, target
        received = breach_at - target.amount
    ticket = _email_ticket(
        world, "enterprise", severity, "Dashboard does not load", received_at=received
    )
    clock = first_response(ticket.pk)
    assert (ticket.tier, clock.due_at, clock.breach_after) == ("T1", breach_at, breach_at)
    return ticket


def test_a_breach_appears_in_the_queue_without_a_reload(
    world: Any, new_session: NewSession
) -> None:
    console = new_session()
    sign_in(console, world.agents["t1"].email, lands_on="/console/queue/T1")
    ticket = _near_breach(world, breach_at=timezone.now() + BREACH_IN)
    breach_at = first_response(ticket.pk).due_at

    polls: list[str] = []
    console.on(
        "request",
        lambda request: polls.append(request.url) if request.headers.get("hx-request") else None,
    )
    console.goto("/console/queue/T1")
    assert timezone.now() < breach_at, "the queue loaded too slowly to see the ticket at risk"
    row = console.locator(f'#queue-rows tr[data-ticket="{ticket.pk}"]')
    badge = row.locator("td.sla .badge")
    expect(row).to_have_class("row-at-risk")
    expect(badge).to_have_class(re.compile(r"\bclock-at-risk\b"))
    expect(badge).to_have_text("0 min left")  # the queue counts whole minutes
    expect_backgrounds(row, badge, "at-risk")
    console.evaluate("window.__sameDocument = true")

    expect(row).to_have_class("row-breached", timeout=40_000)
    assert timezone.now() >= breach_at
    assert console.evaluate("window.__sameDocument === true"), "the page was reloaded"
    assert polls, "no htmx request refreshed the table"
    expect(badge).to_have_class(re.compile(r"\bclock-breached\b"))
    expect(badge).to_have_text("0 min over")
    expect_backgrounds(row, badge, "breached")
