"""A severity change while a page is open re-plans its chain (READING §9), on the real
database: raised to P0 it gains the founder/CTO step at 30 minutes after the ticket opened,
lowered before that step fired it loses it, and each re-plan is on the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soporte.accounts import services as accounts
from soporte.escalation.models import Page
from soporte.jobs import services as jobs
from soporte.jobs.models import OutboxMessage
from soporte.oncall.services import create_rotation
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, TimelineEvent

START = datetime(2026, 11, 30, 16, tzinfo=UTC)  # Mon 30 Nov 2026 10:00 CST, a handoff
OPENED = datetime(2026, 12, 2, 17, tzinfo=UTC)  # Wed 2 Dec 11:00 CST
MIN = timedelta(minutes=1)


@pytest.fixture
def desk(world: Any) -> Any:
    for name, role in (("founder", "founder"), ("cto", "cto")):
        accounts.create_agent(
            email=f"{name}@trackmyvend.example", name=name.upper(), tier="T3", role=role
        )
    create_rotation(
        name="Plataforma",
        members=[world.agents["t3"], world.agents["t2"]],
        starts_at=START,
        now=timezone.now(),
    )
    return world


def _ticket(world: Any, severity: str) -> Any:
    return tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity=severity,
        subject="Los cobros con tarjeta fallan",
        body="Desde esta mañana",
        intake=Intake(),
        received_at=OPENED,
        now=timezone.now(),
    )


def _p1_page_at_t3(world: Any, at: datetime) -> Page:
    ticket = _ticket(world, "P1")
    tickets.escalate(ticket=ticket, actor=None, reason="a T2", at=at)
    tickets.escalate(ticket=ticket, actor=None, reason="bug en cobros", code_bug=True, at=at)
    return Page.objects.get(ticket=ticket)


def _founders_paged() -> int:
    return OutboxMessage.objects.filter(
        transport="email",
        idempotency_key__startswith="page:",
        payload__to__in=[["founder@trackmyvend.example"], ["cto@trackmyvend.example"]],
    ).count()


def _run(at: datetime) -> None:
    while jobs.run_due(worker="test", now=at):
        pass


def _raise(page: Page, severity: str, at: datetime, world: Any) -> Page:
    tickets.change_severity(
        ticket=page.ticket, severity=severity, actor=world.agents["lead3"], reason="x", at=at
    )
    page.refresh_from_db()
    return page


def test_a_p1_page_raised_to_p0_pages_founder_and_cto_30_minutes_after_the_ticket_opened(
    desk: Any,
) -> None:
    page = _p1_page_at_t3(desk, OPENED + 5 * MIN)
    assert [s["target"] for s in page.chain] == ["primary", "secondary"]
    page = _raise(page, "P0", OPENED + 12 * MIN, desk)
    assert [s["target"] for s in page.chain] == ["primary", "secondary", "founder_cto"]
    assert page.severity == "P0"
    _run(OPENED + 29 * MIN)
    assert _founders_paged() == 0
    _run(OPENED + 30 * MIN)
    assert _founders_paged() == 2
    [replanned] = TimelineEvent.objects.filter(ticket=page.ticket, kind=EventKind.PAGE_REPLANNED)
    assert (replanned.at, replanned.data["severity"]) == (OPENED + 12 * MIN, "P0")
    client = Client()
    client.force_login(desk.agents["lead3"].user)
    html = client.get(f"/console/tickets/{page.ticket_id}?lang=en").content.decode()
    assert "Page re-planned for P0: the founder and the CTO are paged at" in html


def test_raised_to_p0_past_the_30_minutes_the_founder_and_cto_are_paged_at_once(
    desk: Any,
) -> None:
    page = _p1_page_at_t3(desk, OPENED + 40 * MIN)
    _raise(page, "P0", OPENED + 50 * MIN, desk)
    assert _founders_paged() == 2  # in the same commit as the severity change


def test_a_p0_lowered_before_the_founder_step_loses_it(desk: Any) -> None:
    page = Page.objects.get(ticket=_ticket(desk, "P0"))
    page = _raise(page, "P1", OPENED + 10 * MIN, desk)
    assert [s["target"] for s in page.chain] == ["primary", "secondary"]
    _run(OPENED + 60 * MIN)
    assert _founders_paged() == 0
    assert TimelineEvent.objects.filter(ticket=page.ticket, kind=EventKind.PAGE_REPLANNED).exists()


def test_a_p0_lowered_after_the_founder_step_fired_keeps_its_chain(desk: Any) -> None:
    page = Page.objects.get(ticket=_ticket(desk, "P0"))
    _run(OPENED + 30 * MIN)
    chain = Page.objects.get(pk=page.pk).chain
    page = _raise(page, "P2", OPENED + 40 * MIN, desk)
    assert page.chain == chain
    assert not TimelineEvent.objects.filter(
        ticket=page.ticket, kind=EventKind.PAGE_REPLANNED
    ).exists()
