"""Pages end to end on the real database: opened by a P0, escalated by the job timers,
stopped by acknowledging and resolving, reported on the timeline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soporte.accounts import services as accounts
from soporte.escalation import services
from soporte.escalation.models import Page, PageNotification
from soporte.jobs import services as jobs
from soporte.jobs.models import Job, OutboxMessage
from soporte.notify.models import Notification
from soporte.oncall.services import create_rotation
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, Status, TimelineEvent

MIN = timedelta(minutes=1)


@pytest.fixture
def crew(world: Any) -> dict[str, Any]:
    make = accounts.create_agent
    crew = {
        "ana": make(email="ana@trackmyvend.example", name="Ana", tier="T3", role="agent"),
        "beto": make(email="beto@trackmyvend.example", name="Beto", tier="T3", role="agent"),
        "founder": make(email="founder@trackmyvend.example", name="F", tier="T3", role="founder"),
        "cto": make(email="cto@trackmyvend.example", name="C", tier="T3", role="cto"),
    }
    create_rotation(
        name="Plataforma",
        members=[crew["ana"], crew["beto"]],
        starts_at=timezone.now() - timedelta(days=1),
        now=timezone.now(),
    )
    return crew


def _p0(world: Any, severity: str = "P0") -> Any:
    return tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity=severity,
        subject="Todas las máquinas fuera de línea",
        body="El tablero no carga",
        intake=Intake(),
        now=timezone.now(),
    )


def _emails_to(email: str) -> list[str]:
    return [
        m.payload["subject"]
        for m in OutboxMessage.objects.filter(transport="email").order_by("pk")
        if m.payload["to"] == [email] and m.idempotency_key.startswith("page:")
    ]


def _run(at: datetime) -> None:
    while jobs.run_due(worker="test", now=at):
        pass


def test_a_p0_pages_the_primary_at_once_then_the_secondary_then_founder_and_cto(
    world: Any, crew: dict[str, Any]
) -> None:
    ticket = _p0(world)
    page = Page.objects.get(ticket=ticket)
    assert len(_emails_to("ana@trackmyvend.example")) == 1  # the primary, in the same commit
    assert _emails_to("beto@trackmyvend.example") == []
    assert page.done_steps == [0]
    assert page.wake_at == page.opened_at + 10 * MIN
    assert Job.objects.filter(kind=services.ADVANCE, status="pending").count() == 1

    _run(page.opened_at + 9 * MIN)
    assert _emails_to("beto@trackmyvend.example") == []
    _run(page.opened_at + 10 * MIN)
    assert len(_emails_to("beto@trackmyvend.example")) == 1
    _run(page.opened_at + 29 * MIN)
    assert _emails_to("founder@trackmyvend.example") == []
    _run(page.opened_at + 30 * MIN)
    assert len(_emails_to("founder@trackmyvend.example")) == 1
    assert len(_emails_to("cto@trackmyvend.example")) == 1
    _run(page.opened_at + 90 * MIN)  # nothing fires twice
    assert len(_emails_to("ana@trackmyvend.example")) == 1
    assert len(_emails_to("beto@trackmyvend.example")) == 1

    sent = TimelineEvent.objects.filter(ticket=ticket, kind=EventKind.PAGE_SENT)
    assert [(e.data["target"], e.data["agent"]) for e in sent.order_by("pk")] == [
        ("primary", "Ana"),
        ("secondary", "Beto"),
        ("founder_cto", "F"),
        ("founder_cto", "C"),
    ]


def test_acknowledging_stops_the_secondary_but_not_founder_and_cto(
    world: Any, crew: dict[str, Any]
) -> None:
    page = Page.objects.get(ticket=_p0(world))
    services.acknowledge(page=page, agent=crew["ana"], via="console", at=page.opened_at + 4 * MIN)
    page.refresh_from_db()
    assert (page.acknowledged_by, page.acknowledged_via) == (crew["ana"], "console")
    assert page.wake_at == page.opened_at + 30 * MIN  # the 10-minute timer is cancelled
    _run(page.opened_at + 15 * MIN)
    assert _emails_to("beto@trackmyvend.example") == []
    _run(page.opened_at + 30 * MIN)
    assert len(_emails_to("founder@trackmyvend.example")) == 1


def test_resolving_the_ticket_resolves_the_page(world: Any, crew: dict[str, Any]) -> None:
    ticket = _p0(world)
    tickets.change_status(ticket=ticket, status=Status.SOLVED, actor=crew["ana"], at=timezone.now())
    page = Page.objects.get(ticket=ticket)
    assert page.resolved_at is not None
    assert page.wake_at is None
    assert not Job.objects.filter(kind=services.ADVANCE, status="pending").exists()
    _run(page.opened_at + 60 * MIN)
    assert _emails_to("beto@trackmyvend.example") == []
    assert _emails_to("founder@trackmyvend.example") == []
    kinds = list(TimelineEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert EventKind.PAGE_RESOLVED in kinds


def test_one_open_page_per_ticket(world: Any, crew: dict[str, Any]) -> None:
    ticket = _p0(world)
    again = services.open_page(ticket=ticket, reason="t3_code_bug", at=timezone.now())
    assert Page.objects.filter(ticket=ticket).count() == 1
    assert again.pk == Page.objects.get(ticket=ticket).pk


def test_a_p1_code_bug_at_t3_pages_without_a_founder_step(world: Any, crew: dict[str, Any]) -> None:
    ticket = _p0(world, severity="P1")
    assert not Page.objects.filter(ticket=ticket).exists()
    tickets.escalate(ticket=ticket, actor=None, reason="sube a T2", at=timezone.now())
    tickets.escalate(
        ticket=ticket, actor=None, reason="bug en la API", code_bug=True, at=timezone.now()
    )
    page = Page.objects.get(ticket=ticket)
    assert (page.reason, [s["target"] for s in page.chain]) == (
        "t3_code_bug",
        ["primary", "secondary"],
    )


def test_nobody_on_call_skips_the_step_and_tells_the_leads(world: Any) -> None:
    ticket = _p0(world)  # no rotation at all
    page = Page.objects.get(ticket=ticket)
    skipped = PageNotification.objects.get(page=page, target="primary")
    assert (skipped.agent, skipped.transport) == (None, "")
    leads = Notification.objects.filter(event="nobody_on_call")
    assert {n.agent.name for n in leads} == {"LEAD1", "LEAD2", "LEAD3"}
    assert TimelineEvent.objects.filter(ticket=ticket, kind=EventKind.PAGE_SKIPPED).exists()
    assert page.wake_at is None  # nobody holds any step (no founder, no CTO): all skipped at once


def test_the_acknowledge_link_asks_for_the_click(world: Any, crew: dict[str, Any]) -> None:
    page = Page.objects.get(ticket=_p0(world))
    url = f"/pages/acknowledge/{services.ack_token(page, crew['ana'])}/"
    client = Client()
    shown = client.get(url)
    assert shown.status_code == 200
    page.refresh_from_db()
    assert page.acknowledged_at is None  # a link scanner's GET acknowledges nothing
    assert client.post(url).status_code == 200
    page.refresh_from_db()
    assert (page.acknowledged_by, page.acknowledged_via) == (crew["ana"], "link")
    assert client.get("/pages/acknowledge/forged-token/").status_code == 404


def test_pagerduty_gets_a_trigger_per_step_and_the_acknowledgement(
    world: Any, crew: dict[str, Any], settings: Any
) -> None:
    settings.PAGERDUTY_ROUTING_KEY = "0123456789abcdef0123456789abcdef"
    page = Page.objects.get(ticket=_p0(world))
    services.acknowledge(page=page, agent=crew["ana"], via="console", at=timezone.now())
    events = [
        (m.payload["event_action"], m.payload["dedup_key"])
        for m in OutboxMessage.objects.filter(transport="pagerduty").order_by("pk")
    ]
    key = f"soporte-page-{page.pk}-step-0"
    assert events == [("trigger", key), ("acknowledge", key)]


def test_the_api_shows_and_acknowledges_the_page(world: Any, crew: dict[str, Any]) -> None:
    ticket = _p0(world)
    beto = Client()
    beto.force_login(crew["beto"].user)
    shown = beto.get(f"/api/tickets/{ticket.pk}/page")
    assert shown.status_code == 200
    assert [(n["target"], n["agent"], n["transport"]) for n in shown.json()["notifications"]] == [
        ("primary", "Ana", "email")
    ]
    acked = beto.post(f"/api/tickets/{ticket.pk}/page/acknowledge")
    assert acked.status_code == 200
    assert (acked.json()["acknowledged_by"], acked.json()["acknowledged_via"]) == ("Beto", "api")
    contact = Client()
    contact.force_login(world.contacts["enterprise"].user)
    assert contact.get(f"/api/tickets/{ticket.pk}/page").status_code == 403


def test_acknowledged_at_pagerduty_is_acknowledged_here(
    world: Any, crew: dict[str, Any], settings: Any
) -> None:
    from soporte.notify.signals import pagerduty_incident

    settings.PAGERDUTY_ROUTING_KEY = "0123456789abcdef0123456789abcdef"
    page = Page.objects.get(ticket=_p0(world))
    when = page.opened_at + 3 * MIN
    for event_type in ("incident.resolved", "incident.acknowledged"):
        pagerduty_incident.send(
            sender=None,
            event_type=event_type,
            dedup_key=f"soporte-page-{page.pk}-step-0",
            agent_email="ANA@trackmyvend.example",
            occurred_at=when - 2 * MIN,  # PagerDuty's word, kept on the timeline
            received_at=when,
            event_id="01",
            now=when + MIN,
        )
    page.refresh_from_db()
    assert (page.acknowledged_by, page.acknowledged_via, page.acknowledged_at) == (
        crew["ana"],
        "pagerduty",
        when,
    )
    assert page.resolved_at is None  # resolving happens in soporte, with the ticket
    assert services.page_of_dedup_key("someone-else-7") is None


def test_a_page_pagerduty_cannot_take_goes_out_by_email_and_the_leads_hear(
    world: Any, crew: dict[str, Any], settings: Any
) -> None:
    settings.PAGERDUTY_ROUTING_KEY = "0123456789abcdef0123456789abcdef"
    settings.PAGERDUTY_EVENTS_BASE = "http://127.0.0.1:9"  # nothing listens: refused at once
    page = Page.objects.get(ticket=_p0(world))
    trigger = OutboxMessage.objects.get(transport="pagerduty")
    assert _emails_to("ana@trackmyvend.example") == []  # PagerDuty first
    for seconds in (0, 5, 15, 40):  # past each retry's backoff (2 s, 4 s + jitter)
        _run(page.opened_at + timedelta(seconds=seconds))
    trigger.refresh_from_db()
    assert (trigger.status, trigger.attempts) == ("failed", settings.PAGE_DELIVERY_ATTEMPTS)
    assert len(_emails_to("ana@trackmyvend.example")) == 1  # the fallback
    told = Notification.objects.filter(event="page_failed")
    assert {n.agent.name for n in told} == {"LEAD1", "LEAD2", "LEAD3"}
    assert all("email" in n.title for n in told)
    sent = TimelineEvent.objects.filter(ticket=page.ticket, kind=EventKind.PAGE_SENT)
    assert [(e.data["transport"], e.data["instead_of"]) for e in sent.order_by("pk")] == [
        ("pagerduty", ""),
        ("email", "pagerduty"),
    ]


def test_the_console_timeline_tells_the_page_in_words(world: Any, crew: dict[str, Any]) -> None:
    ticket = _p0(world)
    page = Page.objects.get(ticket=ticket)
    services.acknowledge(page=page, agent=crew["ana"], via="link", at=timezone.now())
    client = Client()
    client.force_login(crew["beto"].user)
    html = client.get(f"/console/tickets/{ticket.pk}?lang=en").content.decode()
    assert "Page opened (rotation Plataforma)" in html
    assert "Page for Ana (the on-call primary) queued over email" in html
    assert "Page acknowledged by the link in the page" in html


def test_an_agent_acknowledges_in_the_console(world: Any, crew: dict[str, Any]) -> None:
    ticket = _p0(world)
    client = Client()
    client.force_login(crew["ana"].user)
    shown = client.get(f"/console/tickets/{ticket.pk}?lang=en").content.decode()
    assert "Not acknowledged yet." in shown
    assert "Acknowledge the page" in shown
    done = client.post(f"/console/tickets/{ticket.pk}/page/acknowledge", follow=True)
    page = Page.objects.get(ticket=ticket)
    assert (page.acknowledged_by, page.acknowledged_via) == (crew["ana"], "console")
    assert "Acknowledged by Ana" in done.content.decode()


def test_no_page_no_panel_and_nothing_to_acknowledge(world: Any, crew: dict[str, Any]) -> None:
    ticket = _p0(world, severity="P2")
    client = Client()
    client.force_login(crew["ana"].user)
    assert "page-panel" not in client.get(f"/console/tickets/{ticket.pk}").content.decode()
    answer = client.post(f"/console/tickets/{ticket.pk}/page/acknowledge")
    assert answer.status_code == 400


def test_pagerduty_answering_500_then_recovering_still_reaches_the_primary_once(
    world: Any, crew: dict[str, Any], settings: Any
) -> None:
    from fake_pagerduty import FakePagerDuty

    fake = FakePagerDuty()
    try:
        settings.PAGERDUTY_ROUTING_KEY = "0123456789abcdef0123456789abcdef"
        settings.PAGERDUTY_EVENTS_BASE = fake.base_url
        fake.answer(*["500"] * settings.PAGE_DELIVERY_ATTEMPTS)  # down for every attempt
        page = Page.objects.get(ticket=_p0(world))
        for seconds in (0, 5, 15, 40, 60):
            _run(page.opened_at + timedelta(seconds=seconds))
        # PagerDuty is back: the primary already has the page by email; nothing is re-sent.
        _run(page.opened_at + 5 * MIN)
        assert len(_emails_to("ana@trackmyvend.example")) == 1
        assert [r.answer for r in fake.posted()] == ["500"] * settings.PAGE_DELIVERY_ATTEMPTS
        assert Notification.objects.filter(event="page_failed").count() == 3  # every lead
        _run(page.opened_at + 10 * MIN)  # the next step goes to PagerDuty again, and arrives
        assert [
            e["payload"]["custom_details"]["paged"]
            for e in fake.events[f"soporte-page-{page.pk}-step-1"]
        ] == ["beto@trackmyvend.example"]
    finally:
        fake.close()


def test_page_email_links_start_with_the_public_url(
    world: Any, crew: dict[str, Any], settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8123"
    _p0(world)
    [message] = [
        m
        for m in OutboxMessage.objects.filter(transport="email")
        if m.idempotency_key.startswith("page:")
    ]
    assert " http://127.0.0.1:8123/pages/acknowledge/" in message.payload["body"]
    assert " http://127.0.0.1:8123/console/tickets/" in message.payload["body"]


def test_the_acknowledge_link_says_what_acknowledging_still_stops(
    world: Any, crew: dict[str, Any]
) -> None:
    page = Page.objects.get(ticket=_p0(world))
    url = f"/pages/acknowledge/{services.ack_token(page, crew['ana'])}/?lang=en"
    before = Client().get(url).content.decode()
    assert "the secondary will not be paged" in before
    _run(page.opened_at + 10 * MIN)  # nobody acknowledged: Beto is paged
    after = Client().get(url).content.decode()
    assert "the secondary will not be paged" not in after
    assert "The secondary, Beto, has been paged already" in after
