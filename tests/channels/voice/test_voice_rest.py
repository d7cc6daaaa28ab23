"""SMS and calls out through Twilio's REST API, against the local fake (which checks the auth,
the form and its fields), through the outbox: delivered, refused for good, retried."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio

from soporte.channels.voice import paging
from soporte.jobs import services as jobs
from soporte.jobs.models import OutboxMessage
from soporte.notify.transports import twilio

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 2, 9, tzinfo=UTC)


def _run(at: datetime) -> None:
    while jobs.run_due(worker="test", now=at):
        pass


def test_an_sms_reaches_twilio_as_documented(fake_twilio: FakeTwilio) -> None:
    message = twilio.enqueue_sms(key="k1", to="+52 1 81 2698 2507", body="[P0] Page", due_at=T0)
    _run(T0)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert fake_twilio.problems == []
    (request,) = fake_twilio.requests
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.form == {"To": "+528126982507", "From": FROM_NUMBER, "Body": "[P0] Page"}


def test_a_page_call_reads_the_page_twice_and_takes_a_keypress(fake_twilio: FakeTwilio) -> None:
    paging.enqueue_page(
        key="k2",
        to="+528126982507",
        text="[P0] Página: ticket #4",
        lang="es",
        ack_url="https://desk.example.com/hooks/voice/page-ack?t=abc",
        due_at=T0,
        max_attempts=3,
    )
    _run(T0)

    assert fake_twilio.problems == []
    (call,) = fake_twilio.calls
    assert (call["To"], call["From"]) == ("+528126982507", FROM_NUMBER)
    root = ElementTree.fromstring(call["Twiml"])
    gather = root.find("Gather")
    assert gather is not None
    assert gather.get("action") == "https://desk.example.com/hooks/voice/page-ack?t=abc"
    assert gather.get("numDigits") == "1"
    said = [say.text for say in gather.iter("Say")]
    assert said[:2] == ["[P0] Página: ticket #4"] * 2
    assert {say.get("language") for say in root.iter("Say")} == {"es-MX"}


def test_a_refused_request_fails_at_once(fake_twilio: FakeTwilio, settings: Any) -> None:
    settings.SOPORTE_TWILIO_AUTH_TOKEN = "not-the-token"
    message = twilio.enqueue_sms(key="k3", to="+528126982507", body="x", due_at=T0)
    _run(T0)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "401" in message.last_error
    assert "20003" in message.last_error
    assert len(fake_twilio.requests) == 1


def test_a_server_error_is_retried(fake_twilio: FakeTwilio) -> None:
    fake_twilio.answer("500", "429")
    message = twilio.enqueue_sms(key="k4", to="+528126982507", body="x", due_at=T0)
    _run(T0)
    _run(T0 + timedelta(minutes=1))
    _run(T0 + timedelta(minutes=5))

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [r.status for r in fake_twilio.requests] == [500, 429, 201]


def test_unconfigured_twilio_fails_at_once_naming_the_settings(settings: Any) -> None:
    settings.SOPORTE_TWILIO_ACCOUNT_SID = ""
    message = twilio.enqueue_sms(key="k5", to="+528126982507", body="x", due_at=T0)
    _run(T0)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "SOPORTE_TWILIO_ACCOUNT_SID" in message.last_error


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda: twilio.enqueue_sms(key="a", to="12", body="x", due_at=T0), "to: '12'"),
        (lambda: twilio.enqueue_sms(key="a", to="+528126982507", body="", due_at=T0), "body"),
        (
            lambda: twilio.enqueue_sms(key="a", to="+528126982507", body="x" * 1601, due_at=T0),
            "body: expected 1-1600",
        ),
        (
            lambda: twilio.enqueue_call(key="a", to="+528126982507", twiml="hi", due_at=T0),
            "twiml",
        ),
    ],
)
def test_what_twilio_would_refuse_is_refused_when_queued(call: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        call()
    assert not OutboxMessage.objects.exists()
