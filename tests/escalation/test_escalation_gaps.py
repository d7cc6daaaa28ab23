"""A page step nobody holds (READING §5, §9): skipped at once, the next step brought forward,
and the gap paged to the leads (and, for a P0, the founder) over the paging transports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soporte.accounts import services as accounts
from soporte.escalation.models import Page, PageNotification
from soporte.jobs.models import Job, OutboxMessage
from soporte.oncall.services import add_override, create_rotation
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, TimelineEvent

START = datetime(2026, 11, 30, 16, tzinfo=UTC)  # Mon 30 Nov 2026 10:00 CST, a handoff
OPENED = datetime(2026, 12, 2, 5, tzinfo=UTC)  # Tue 1 Dec 23:00 CST
MIN = timedelta(minutes=1)
LEADS = ["lead1@trackmyvend.example", "lead2@trackmyvend.example", "lead3@trackmyvend.example"]


@pytest.fixture
def bosses(world: Any) -> dict[str, Any]:
    make = accounts.create_agent
    return {
        "founder": make(email="founder@trackmyvend.example", name="F", tier="T3", role="founder"),
        "cto": make(email="cto@trackmyvend.example", name="C", tier="T3", role="cto"),
    }


def _open(world: Any, severity: str = "P0") -> Page:
    ticket = tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity=severity,
        subject="Todas las máquinas fuera de línea",
        body="El tablero no carga",
        intake=Intake(),
        received_at=OPENED,
        now=timezone.now(),
    )
    if severity != "P0":
        tickets.escalate(ticket=ticket, actor=None, reason="a T2", at=OPENED)
        tickets.escalate(ticket=ticket, actor=None, reason="bug", code_bug=True, at=OPENED)
    return Page.objects.get(ticket=ticket)


def _paged(email: str) -> list[OutboxMessage]:
    return [
        m
        for m in OutboxMessage.objects.filter(transport="email").order_by("pk")
        if m.payload["to"] == [email] and m.idempotency_key.startswith("page:")
    ]


def test_a_one_member_rotation_skips_the_secondary_at_once_and_pages_the_gap(
    world: Any, bosses: dict[str, Any]
) -> None:
    create_rotation(
        name="Plataforma", members=[world.agents["t3"]], starts_at=START, now=timezone.now()
    )
    page = _open(world)
    assert len(_paged("t3@trackmyvend.example")) == 1
    skipped = PageNotification.objects.get(page=page, target="secondary")
    assert (skipped.agent, skipped.created_at) == (None, OPENED)  # at once, not at +10 min
    for email in [*LEADS, "founder@trackmyvend.example"]:
        [message] = _paged(email)
        assert Job.objects.get(key=f"outbox:{message.idempotency_key}").urgent
        assert "nadie de guardia" in message.payload["body"]  # in the lead's language
    assert _paged("cto@trackmyvend.example") == []  # the founder/CTO step keeps its 30 min
    page.refresh_from_db()
    assert page.wake_at == OPENED + 30 * MIN
    gap = TimelineEvent.objects.filter(ticket=page.ticket, kind=EventKind.PAGE_SENT)
    assert sorted(e.data["agent"] for e in gap if e.data["target"] == "gap") == [
        "F",
        "LEAD1",
        "LEAD2",
        "LEAD3",
    ]
    client = Client()
    client.force_login(world.agents["lead1"].user)
    html = client.get(f"/console/tickets/{page.ticket_id}?lang=en").content.decode()
    assert "Nobody on call as the on-call secondary: step skipped at once, leads paged" in html
    assert "Page for LEAD1 (a step nobody was on call for) queued over email" in html


def test_with_only_a_secondary_override_the_secondary_is_paged_at_once(
    world: Any, bosses: dict[str, Any]
) -> None:
    rotation = create_rotation(name="Plataforma", starts_at=START, now=timezone.now())
    add_override(
        rotation=rotation,
        role="secondary",
        starts_at=START,
        ends_at=START + timedelta(days=7),
        covering=world.agents["t2"],
        now=START,
    )
    page = _open(world)
    assert PageNotification.objects.get(page=page, target="primary").agent is None
    assert len(_paged("t2@trackmyvend.example")) == 1
    assert PageNotification.objects.get(page=page, target="secondary").created_at == OPENED
    assert all(len(_paged(email)) == 1 for email in LEADS)


def test_a_p1_gap_pages_the_leads_but_not_the_founder(world: Any, bosses: dict[str, Any]) -> None:
    create_rotation(
        name="Plataforma", members=[world.agents["t3"]], starts_at=START, now=timezone.now()
    )
    page = _open(world, severity="P1")
    assert [s["target"] for s in page.chain] == ["primary", "secondary"]
    assert all(len(_paged(email)) == 1 for email in LEADS)
    assert _paged("founder@trackmyvend.example") == []


def test_the_gap_goes_to_pagerduty_when_it_is_configured(
    world: Any, bosses: dict[str, Any], settings: Any
) -> None:
    settings.PAGERDUTY_ROUTING_KEY = "0123456789abcdef0123456789abcdef"
    create_rotation(
        name="Plataforma", members=[world.agents["t3"]], starts_at=START, now=timezone.now()
    )
    page = _open(world)
    keys = sorted(
        {m.payload["dedup_key"] for m in OutboxMessage.objects.filter(transport="pagerduty")}
    )
    assert keys == [f"soporte-page-{page.pk}-gap-1", f"soporte-page-{page.pk}-step-0"]
    gap = PageNotification.objects.filter(page=page, target="gap")
    assert {n.transport for n in gap} == {"pagerduty"}
    assert gap.count() == 4  # three leads and the founder
