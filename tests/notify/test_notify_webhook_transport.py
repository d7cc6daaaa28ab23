"""The generic signed webhook transport, against the local fake server over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.utils import timezone
from fake_pagerduty import FakePagerDuty
from notify_helpers import Worker

from soporte.jobs.models import Job
from soporte.notify.transports.webhook import enqueue_webhook

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret-for-tests"
BODY = {"event": "page.triggered", "ticket": 4711, "summary": "Caja sin conexión"}


@pytest.fixture
def receiver(fake_pagerduty: FakePagerDuty, settings: Any) -> FakePagerDuty:
    settings.SOPORTE_WEBHOOK_SECRET = SECRET
    return fake_pagerduty


def url(receiver: FakePagerDuty) -> str:
    return f"{receiver.base_url}/hooks/soporte"


def test_the_post_is_signed_and_carries_the_outbox_key(
    receiver: FakePagerDuty, worker: Worker
) -> None:
    message = enqueue_webhook(
        key="page:17:webhook", url=url(receiver), body=BODY, due_at=timezone.now()
    )
    worker.run()

    [request] = receiver.posted("/hooks/soporte")
    assert request.method == "POST"
    assert request.json() == BODY
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Idempotency-Key"] == "page:17:webhook"
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Soporte-Signature"] == f"v1={expected}"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert worker.later(hours=1) == 0


@pytest.mark.parametrize("status", ["400", "401", "404", "410", "422"])
def test_a_4xx_is_permanent(receiver: FakePagerDuty, worker: Worker, status: str) -> None:
    receiver.answer(status)
    message = enqueue_webhook(key="k", url=url(receiver), body=BODY, due_at=timezone.now())

    worker.run()
    assert worker.later(hours=1) == 0

    assert len(receiver.requests) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert f"answered {status}" in message.last_error
    assert Job.objects.get().status == Job.Status.DONE


@pytest.mark.parametrize("failure", ["408", "429", "500", "502", "drop"])
def test_timeouts_throttling_and_server_errors_are_retried(
    receiver: FakePagerDuty, worker: Worker, failure: str
) -> None:
    receiver.answer(failure)
    message = enqueue_webhook(key="k", url=url(receiver), body=BODY, due_at=timezone.now())

    worker.run()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    worker.run_next()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    first, second = receiver.requests
    assert (first.answer, second.answer) == (failure, "202")
    assert first.body == second.body  # the same bytes, key and signature on the re-send
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"] == "k"
    assert first.headers["X-Soporte-Signature"] == second.headers["X-Soporte-Signature"]


def test_without_a_secret_nothing_unsigned_leaves(
    receiver: FakePagerDuty, worker: Worker, settings: Any
) -> None:
    message = enqueue_webhook(key="k", url=url(receiver), body=BODY, due_at=timezone.now())
    settings.SOPORTE_WEBHOOK_SECRET = ""

    worker.run()

    assert receiver.requests == []
    message.refresh_from_db()
    assert message.status == "failed"
    assert "SOPORTE_WEBHOOK_SECRET is not set" in message.last_error


@pytest.mark.parametrize("bad", ["ftp://example.com/x", "example.com/hook", ""])
def test_enqueue_refuses_a_url_that_is_not_http(bad: str) -> None:
    with pytest.raises(ValueError, match=r"^url: expected an http\(s\) URL"):
        enqueue_webhook(key="k", url=bad, body=BODY, due_at=timezone.now())


def test_enqueue_refuses_a_body_that_is_not_json() -> None:
    with pytest.raises(ValueError, match=r"^body: not serialisable as JSON"):
        enqueue_webhook(
            key="k", url="https://example.com/hook", body={"x": {1, 2}}, due_at=timezone.now()
        )


def test_the_body_is_sent_as_compact_utf8_json(receiver: FakePagerDuty, worker: Worker) -> None:
    enqueue_webhook(key="k", url=url(receiver), body=BODY, due_at=timezone.now())
    worker.run()

    [request] = receiver.requests
    assert request.body == json.dumps(BODY, separators=(",", ":"), ensure_ascii=False).encode()
