"""The page transports' registry: the policy's order, skipping what is not configured or what
the person lacks, falling back to the next on failure; SMS and voice calls over the fake
Twilio, the call's keypad acknowledging; WhatsApp and Slack registered with one line each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio
from notify_helpers import ROUTING_KEY
from voice_helpers import PUBLIC, post

from soporte.accounts import services as accounts
from soporte.escalation import services, transports
from soporte.escalation.models import Page, PageNotification
from soporte.jobs import outbox
from soporte.jobs import services as jobs
from soporte.jobs.models import Job, OutboxMessage
from soporte.notify.models import Notification
from soporte.oncall.services import create_rotation
from soporte.policy.loader import DEFAULT_PATH
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind

MOBILE = "+528126982507"


@pytest.fixture
def fake_twilio(settings: Any) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    settings.SOPORTE_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SOPORTE_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SOPORTE_TWILIO_FROM = FROM_NUMBER
    settings.SOPORTE_TWILIO_API_BASE = fake.base_url
    settings.PUBLIC_BASE_URL = PUBLIC
    yield fake
    fake.close()


@pytest.fixture
def crew(world: Any) -> dict[str, Any]:
    make = accounts.create_agent
    crew = {
        "ana": make(email="ana@trackmyvend.example", name="Ana", tier="T3", phone=MOBILE),
        "beto": make(email="beto@trackmyvend.example", name="Beto", tier="T3"),
        "founder": make(email="f@trackmyvend.example", name="F", tier="T3", role="founder"),
    }
    create_rotation(
        name="Plataforma",
        members=[crew["ana"], crew["beto"]],
        starts_at=timezone.now() - timedelta(days=1),
        now=timezone.now(),
    )
    return crew


def _p0(world: Any) -> Page:
    ticket = tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity="P0",
        subject="Todas las máquinas fuera de línea",
        body="El tablero no carga",
        intake=Intake(),
        now=timezone.now(),
    )
    return Page.objects.get(ticket=ticket)


def _sent(page: Page) -> list[tuple[str, str]]:
    rows = PageNotification.objects.filter(page=page, agent__isnull=False).order_by("pk")
    return [(n.agent.name, n.transport) for n in rows]


def _run(at: Any = None) -> None:
    at = at or timezone.now() + timedelta(seconds=1)
    while jobs.run_due(worker="test", now=at):
        pass


def test_without_twilio_a_page_goes_by_email(world: Any, crew: dict[str, Any]) -> None:
    assert _sent(_p0(world)) == [("Ana", "email")]


def test_the_first_transport_that_reaches_the_person_in_the_policys_order(
    world: Any, crew: dict[str, Any], fake_twilio: FakeTwilio
) -> None:
    page = _p0(world)
    _run()

    assert _sent(page) == [("Ana", "sms")]  # no PagerDuty, no WhatsApp: SMS before voice
    (sms,) = fake_twilio.messages
    assert sms["To"] == MOBILE
    assert f"#{page.ticket.pk}" in sms["Body"]
    assert "/acknowledge/" in sms["Body"]
    assert fake_twilio.problems == []


def test_someone_without_a_mobile_is_paged_by_email(
    world: Any, crew: dict[str, Any], fake_twilio: FakeTwilio
) -> None:
    crew["ana"].phone = ""
    crew["ana"].save()
    assert _sent(_p0(world)) == [("Ana", "email")]


def test_pagerduty_first_when_configured(
    world: Any, crew: dict[str, Any], fake_twilio: FakeTwilio, settings: Any
) -> None:
    settings.PAGERDUTY_ROUTING_KEY = ROUTING_KEY
    assert _sent(_p0(world)) == [("Ana", "pagerduty")]


def test_a_failed_transport_falls_back_to_the_next_one(
    world: Any, crew: dict[str, Any], fake_twilio: FakeTwilio
) -> None:
    fake_twilio.answer("400", "400")  # Twilio refuses the SMS, then the call
    page = _p0(world)
    _run()

    assert _sent(page) == [("Ana", "sms"), ("Ana", "voice"), ("Ana", "email")]
    failed = page.ticket.timeline.filter(kind=EventKind.PAGE_FAILED).order_by("pk")
    assert [(e.data["transport"], e.data["next_transport"]) for e in failed] == [
        ("sms", "voice"),
        ("voice", "email"),
    ]
    email = OutboxMessage.objects.get(transport="email", idempotency_key__endswith=":email")
    assert email.payload["to"] == ["ana@trackmyvend.example"]


def test_the_policys_order_decides(
    world: Any, crew: dict[str, Any], fake_twilio: FakeTwilio, tmp_path: Path, monkeypatch: Any
) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    default = 'page_transports = ["pagerduty", "whatsapp", "sms", "voice", "slack", "email"]'
    assert default in text
    policy = tmp_path / "policy.toml"
    policy.write_text(text.replace(default, 'page_transports = ["voice", "email"]'))
    monkeypatch.setenv("SOPORTE_POLICY", str(policy))

    page = _p0(world)
    _run()

    assert _sent(page) == [("Ana", "voice")]
    (call,) = fake_twilio.calls
    assert "page-ack?t=" in call["Twiml"]


def test_pressing_1_on_the_page_call_acknowledges_it(
    world: Any, crew: dict[str, Any], fake_twilio: FakeTwilio, tmp_path: Path, monkeypatch: Any
) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace(
        '"whatsapp", "sms", "voice"', '"whatsapp", "voice", "sms"'
    )
    (tmp_path / "policy.toml").write_text(text)
    monkeypatch.setenv("SOPORTE_POLICY", str(tmp_path / "policy.toml"))
    page = _p0(world)
    _run()
    (call,) = fake_twilio.calls
    action = call["Twiml"].split('action="')[1].split('"')[0].replace("&amp;", "&")
    path = action.removeprefix(PUBLIC)
    params = {"CallSid": "CA" + "9" * 32, "From": FROM_NUMBER, "To": MOBILE}

    assert post(path, {**params, "Digits": "2"}).status_code == 200
    page.refresh_from_db()
    assert page.acknowledged_at is None
    assert post(path, {**params, "Digits": "1"}, token="wrong").status_code == 403
    answer = post(path, {**params, "Digits": "1"})

    assert answer.status_code == 200
    assert b"Hangup" in answer.content
    page.refresh_from_db()
    assert (page.acknowledged_by, page.acknowledged_via) == (crew["ana"], "voice")
    assert post(path.split("?")[0] + "?t=forged", {**params, "Digits": "1"}).status_code == 400


def test_whatsapp_and_slack_page_when_configured_and_on_the_profile(
    world: Any, crew: dict[str, Any], settings: Any
) -> None:
    settings.SOPORTE_WHATSAPP_TOKEN = "wa-token"
    settings.SOPORTE_WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.SOPORTE_SLACK_BOT_TOKEN = "xoxb-bench"
    crew["ana"].whatsapp = "+52 81 1111 2222"
    crew["ana"].save()
    crew["beto"].slack_user_id = "U024BE7LH"
    crew["beto"].save()

    page = _p0(world)
    assert _sent(page) == [("Ana", "whatsapp")]
    queued = OutboxMessage.objects.get(transport="whatsapp")
    body = queued.payload["body"]
    assert (body["to"], body["type"]) == ("528111112222", "template")
    assert Job.objects.get(key=outbox.job_key(queued.idempotency_key)).max_attempts == 3
    assert body["template"]["name"] == settings.SOPORTE_WHATSAPP_PAGE_TEMPLATE
    assert body["template"]["language"] == {"code": "es_MX"}
    subject, link, runbook = (p["text"] for p in body["template"]["components"][0]["parameters"])
    assert subject.startswith("[P0]")
    assert "/acknowledge/" in link
    assert runbook == "https://trackmyvend.com/RUNBOOK.md"

    # Beto, the secondary, has only Slack (and email): Slack comes first.
    services.advance(page, now=page.opened_at + timedelta(minutes=10))
    assert _sent(page)[-1] == ("Beto", "slack")
    dm = OutboxMessage.objects.get(transport="slack").payload
    assert dm["channel"] == "U024BE7LH"
    assert "/acknowledge/" in dm["text"]


def test_whatsapp_and_slack_not_configured_are_skipped(world: Any, crew: dict[str, Any]) -> None:
    crew["ana"].whatsapp = "+52 81 1111 2222"
    crew["ana"].slack_user_id = "U024BE7LH"
    crew["ana"].save()

    page = _p0(world)

    assert _sent(page) == [("Ana", "email")]


def test_someone_no_transport_reaches_is_reported_to_the_leads(
    world: Any, crew: dict[str, Any]
) -> None:
    user = crew["ana"].user
    user.email = ""
    user.save()

    page = _p0(world)

    failed = page.ticket.timeline.get(kind=EventKind.PAGE_FAILED)
    assert (failed.data["agent"], failed.data["transport"]) == ("Ana", "")
    told = Notification.objects.filter(event="page_failed", agent=world.agents["lead3"])
    assert told.exists()


def test_a_short_text_fits() -> None:
    link = "https://desk.example.com/acknowledge/" + "x" * 60
    assert transports.short_text("s" * 1000, link).endswith(link)
    assert len(transports.short_text("s" * 1000, link)) == transports.SHORT_MAX
    assert transports.short_text("Caído", link) == f"Caído {link}"


def _csm(world: Any, *, phone: str, channel: str) -> Any:
    csm = accounts.create_agent(email="csm@trackmyvend.example", name="Carla", phone=phone)
    csm.notice_channel = channel
    csm.save()
    organisation = world.orgs["enterprise"]
    organisation.csm = csm
    organisation.save()
    world.contacts["enterprise"].organisation.refresh_from_db()
    return csm


def _csm_copies() -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(idempotency_key__startswith="notify:csm:").order_by("pk")
    return [(m.transport, m.idempotency_key) for m in rows]


def test_a_csm_hears_of_a_p1_over_their_preferred_channel(
    world: Any, fake_twilio: FakeTwilio
) -> None:
    _csm(world, phone=MOBILE, channel="sms")
    contact = world.contacts["enterprise"]
    contact.refresh_from_db()
    ticket = tickets.open_ticket(
        requester=contact,
        channel="email",
        severity="P1",
        subject="Los reportes no cargan",
        body="x",
        intake=Intake(),
        now=timezone.now(),
    )
    _run()

    assert [t for t, _key in _csm_copies()] == ["sms"]  # no email copy
    (sms,) = fake_twilio.messages
    assert sms["To"] == MOBILE
    assert f"#{ticket.pk}" in sms["Body"]
    # Raised to P0: told again, over SMS too.
    tickets.change_severity(
        ticket=ticket, severity="P0", actor=world.agents["t2"], at=timezone.now()
    )
    assert [t for t, _key in _csm_copies()] == ["sms", "sms"]


def test_a_preferred_channel_that_cannot_reach_the_csm_falls_back_to_email(
    world: Any, fake_twilio: FakeTwilio
) -> None:
    _csm(world, phone="", channel="sms")
    contact = world.contacts["enterprise"]
    contact.refresh_from_db()
    tickets.open_ticket(
        requester=contact,
        channel="email",
        severity="P1",
        subject="Los reportes no cargan",
        body="x",
        intake=Intake(),
        now=timezone.now(),
    )
    assert [t for t, _key in _csm_copies()] == ["email"]
