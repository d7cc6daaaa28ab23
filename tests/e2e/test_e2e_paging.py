"""Paging in Chromium: a P0 filed in the portal pages the primary at a (local, fake) PagerDuty;
nobody acknowledges, so ten minutes later the secondary is paged and thirty minutes later the
founder and the CTO; the primary acknowledges in the console and the timeline tells it all.

The clock is moved by running the job worker's steps with an explicit ``now``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from e2e_helpers import NewSession, file_ticket, open_new_ticket_form, sign_in
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notify"))
from fake_pagerduty import FakePagerDuty

from soporte.accounts import services as accounts
from soporte.escalation.models import Page as PageRow
from soporte.jobs import services as jobs
from soporte.oncall.services import create_rotation

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`

MIN = timedelta(minutes=1)


@pytest.fixture
def pagerduty(settings: Any) -> Iterator[FakePagerDuty]:
    fake = FakePagerDuty()
    settings.PAGERDUTY_ROUTING_KEY = "0123456789abcdef0123456789abcdef"
    settings.PAGERDUTY_EVENTS_BASE = fake.base_url
    yield fake
    fake.close()


def _work(at: Any) -> None:
    while jobs.run_due(worker="e2e", now=at):
        pass


def _paged(fake: FakePagerDuty, key: str) -> list[str]:
    return [e["payload"]["custom_details"]["paged"] for e in fake.events.get(key, [])]


def test_a_p0_pages_the_primary_then_the_secondary_then_founder_and_cto(
    world: Any, new_session: NewSession, pagerduty: FakePagerDuty
) -> None:
    agent = accounts.create_agent
    ana = agent(
        email="ana@trackmyvend.example", name="Ana", tier="T3", role="agent", password="pw-12345678"
    )
    beto = agent(email="beto@trackmyvend.example", name="Beto", tier="T3", role="agent")
    agent(email="founder@trackmyvend.example", name="Fundadora", tier="T3", role="founder")
    agent(email="cto@trackmyvend.example", name="CTO", tier="T3", role="cto")
    create_rotation(name="Plataforma", members=[ana, beto], now=timezone.now())

    customer = new_session()
    sign_in(customer, world.contacts["enterprise"].email, lands_on="/portal/")
    open_new_ticket_form(customer)
    number = file_ticket(
        customer,
        subject="Ninguna máquina reporta ventas",
        severity="P0",
        description="El tablero está vacío para todas las rutas desde las 02:50.",
    )
    page = PageRow.objects.get(ticket_id=number)
    key = f"soporte-page-{page.pk}-step-"

    _work(timezone.now())  # the worker sends what is due now: the primary's trigger
    assert _paged(pagerduty, key + "0") == [ana.email]
    assert _paged(pagerduty, key + "1") == []

    _work(page.opened_at + 10 * MIN)  # nobody acknowledged
    assert _paged(pagerduty, key + "1") == [beto.email]
    _work(page.opened_at + 29 * MIN)
    assert _paged(pagerduty, key + "2") == []
    _work(page.opened_at + 30 * MIN)  # a P0 still unresolved
    assert sorted(_paged(pagerduty, key + "2")) == [
        "cto@trackmyvend.example",
        "founder@trackmyvend.example",
    ]
    assert pagerduty.problems == []

    engineer = new_session()
    sign_in(engineer, ana.email, lands_on="/console/queue/T3")
    engineer.goto(f"/console/tickets/{number}")
    expect(engineer.get_by_text("Not acknowledged yet.")).to_be_visible()
    engineer.get_by_role("button", name="Acknowledge the page").click()
    expect(engineer.get_by_text("Acknowledged by Ana")).to_be_visible()
    timeline = engineer.locator(".timeline")
    for line in [
        "Page opened (rotation Plataforma)",
        "Page for Ana (the on-call primary) queued over pagerduty",
        "Page for Beto (the on-call secondary) queued over pagerduty",
        "Page for Fundadora (the founder and the CTO) queued over pagerduty",
        "Page for CTO (the founder and the CTO) queued over pagerduty",
        "Page acknowledged in the console",
    ]:
        expect(timeline.get_by_text(line)).to_be_visible()

    _work(page.opened_at + 31 * MIN)  # PagerDuty hears of the acknowledgement too
    acknowledged = {
        k
        for k, events in pagerduty.events.items()
        for e in events
        if e["event_action"] == "acknowledge"
    }
    assert acknowledged == {key + "0", key + "1", key + "2"}
