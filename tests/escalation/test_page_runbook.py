"""Every page a person receives carries the runbook's link (SUPPORT.md: "a new on-call reads
the RUNBOOK"; the policy's ``oncall.runbook_url``), over each transport: email, SMS, a voice
call's TwiML, WhatsApp's template, a Slack DM and PagerDuty's links."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from soporte.accounts import services as accounts
from soporte.escalation.models import PageNotification
from soporte.jobs.models import OutboxMessage
from soporte.oncall.services import create_rotation
from soporte.policy.loader import DEFAULT_PATH
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake

pytestmark = pytest.mark.django_db
RUNBOOK = "https://trackmyvend.com/RUNBOOK.md"
START = datetime(2027, 3, 1, 16, tzinfo=UTC)
OPENED = datetime(2027, 3, 3, 5, tzinfo=UTC)


def _text(transport: str, payload: dict[str, Any]) -> str:
    """What the person reads (or hears) of the page, by transport."""
    if transport == "email":
        return str(payload["body"])
    if transport == "sms":
        return str(payload["body"])
    if transport == "voice":
        return str(payload["twiml"])
    if transport == "slack":
        return str(payload["text"])
    if transport == "whatsapp":
        params = payload["body"]["template"]["components"][0]["parameters"]
        return " ".join(p["text"] for p in params)
    assert transport == "pagerduty"
    return " ".join(link["href"] for link in payload["links"])


@pytest.fixture
def every_transport(settings: Any) -> None:
    settings.SOPORTE_TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.SOPORTE_TWILIO_AUTH_TOKEN = "token"
    settings.SOPORTE_TWILIO_FROM = "+15005550006"
    settings.SOPORTE_WHATSAPP_TOKEN = "wa-token"
    settings.SOPORTE_WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.SOPORTE_SLACK_BOT_TOKEN = "xoxb-test"
    settings.PAGERDUTY_ROUTING_KEY = "R" * 32


def _only(transport: str, tmp_path: Path, monkeypatch: Any, runbook: str = RUNBOOK) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    text = text.replace(
        'page_transports = ["pagerduty", "whatsapp", "sms", "voice", "slack", "email"]',
        f'page_transports = ["{transport}"]',
    ).replace(f'runbook_url = "{RUNBOOK}"', f'runbook_url = "{runbook}"' if runbook else "")
    (tmp_path / "policy.toml").write_text(text)
    monkeypatch.setenv("SOPORTE_POLICY", str(tmp_path / "policy.toml"))


def _page(world: Any, *, lang: str = "es") -> OutboxMessage:
    engineer = accounts.create_agent(
        email="ana@trackmyvend.example",
        name="Ana",
        tier="T3",
        phone="+528126982507",
        locale=lang,
    )
    engineer.whatsapp, engineer.slack_user_id = "+528111112222", "U024BE7LH"
    engineer.save()
    create_rotation(name="Plataforma", members=[engineer], starts_at=START, now=START)
    tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity="P0",
        subject="Ninguna máquina reporta ventas",
        body="x",
        intake=Intake(),
        received_at=OPENED,
        now=OPENED,
    )
    sent = PageNotification.objects.get(agent=engineer, target="primary")
    assert sent.message is not None
    return sent.message


@pytest.mark.parametrize("transport", ["email", "sms", "voice", "whatsapp", "slack", "pagerduty"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_transport_carries_the_runbook(  # type: ignore[no-untyped-def]
    world, every_transport, tmp_path, monkeypatch, transport, lang
):
    _only(transport, tmp_path, monkeypatch)
    message = _page(world, lang=lang)
    assert message.transport == transport
    assert RUNBOOK in _text(transport, message.payload)


@pytest.mark.parametrize("transport", ["email", "sms", "whatsapp", "pagerduty"])
def test_without_a_runbook_in_the_policy_no_link_is_added(  # type: ignore[no-untyped-def]
    world, every_transport, tmp_path, monkeypatch, transport
):
    _only(transport, tmp_path, monkeypatch, runbook="")
    message = _page(world)
    text = _text(transport, message.payload)
    assert "RUNBOOK" not in text
    assert "Runbook" not in text
