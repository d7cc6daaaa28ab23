"""The emergency line end to end, over HTTP against the running server: the fake Twilio posts a
signed call, the desk answers TwiML and pages the on-call engineer by SMS (the fake Twilio
REST API receives it); the caller's voice message is appended; the engineer acknowledges by
the page call's keypad and answers in the console; the answer reaches the caller by email.

No browser (the WhatsApp end-to-end test drives Chromium): Twilio's side is HTTP only.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "channels" / "voice"))
from fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    FakeTwilio,
    call_params,
    call_sid,
    sign,
)

from soporte.accounts import services as accounts
from soporte.escalation.models import Page
from soporte.jobs import services as jobs
from soporte.oncall.services import create_rotation
from soporte.tickets.models import Message, Ticket

pytestmark = pytest.mark.slow  # starts a server

CALLER = "+528126982507"
ENGINEER = "+528112345678"


@pytest.fixture
def line(live_server: Any, settings: Any) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    settings.SOPORTE_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SOPORTE_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SOPORTE_TWILIO_FROM = FROM_NUMBER
    settings.SOPORTE_TWILIO_API_BASE = fake.base_url
    settings.PUBLIC_BASE_URL = live_server.url
    yield fake
    fake.close()


def _twilio_posts(url: str, params: dict[str, str]) -> httpx.Response:
    """What Twilio does: a form POST signed for the URL it calls."""
    return httpx.post(
        url, data=params, headers={"X-Twilio-Signature": sign(AUTH_TOKEN, url, params)}
    )


def _work() -> None:
    at = timezone.now() + timedelta(seconds=2)
    while jobs.run_due(worker="e2e", now=at):
        pass


def test_an_emergency_call_pages_by_sms_and_the_answer_reaches_the_caller(
    world: Any, line: FakeTwilio, live_server: Any
) -> None:
    kate = world.contacts["enterprise"]
    kate.phone, kate.locale = CALLER, "en"
    kate.save()
    ana = accounts.create_agent(
        email="ana@trackmyvend.example",
        name="Ana",
        tier="T3",
        phone=ENGINEER,
        password="pw-12345678",
    )
    beto = accounts.create_agent(email="beto@trackmyvend.example", name="Beto", tier="T3")
    create_rotation(
        name="Plataforma",
        members=[ana, beto],
        starts_at=timezone.now() - timedelta(days=1),
        now=timezone.now(),
    )
    call = call_params(call_sid(), CALLER)

    answer = _twilio_posts(f"{live_server.url}/hooks/voice", call)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(answer.content)
    assert "paged the on-call engineer" in " ".join(s.text or "" for s in root.iter("Say"))
    ticket = Ticket.objects.get()
    assert (ticket.severity, ticket.tier, ticket.channel) == ("P0", "T3", "phone")

    _work()  # the outbox sends the page
    (sms,) = line.messages
    assert sms["To"] == ENGINEER
    assert f"#{ticket.pk}" in sms["Body"]
    assert line.problems == []

    recording = "RE" + call["CallSid"][2:]
    voice_message = {
        **call,
        "RecordingSid": recording,
        "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{recording}",
        "RecordingDuration": "20",
    }
    assert (
        _twilio_posts(live_server.url + "/hooks/voice/recording", voice_message).status_code == 200
    )
    assert Message.objects.filter(ticket=ticket, provider_id=recording).exists()

    # Ana acknowledges by the page's link (the SMS carries it) and answers in the console.
    link = next(word for word in sms["Body"].split() if word.startswith(live_server.url))
    console = Client()
    console.force_login(ana.user)
    assert console.post(link.removeprefix(live_server.url)).status_code in (200, 302)
    assert Page.objects.get(ticket=ticket).acknowledged_by == ana
    reply = console.post(
        f"/console/tickets/{ticket.pk}/reply",
        {"body": "We are on it: the Monterrey gateway is restarting.", "kind": "public"},
    )
    assert reply.status_code in (200, 302)
    _work()

    answered = [m for m in mail.outbox if "Monterrey gateway" in m.body]
    assert [m.to for m in answered] == [[kate.email]]
