"""PagerDuty's signed webhooks (v3) back into soporte: verification, dedupe, the signal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from notify_helpers import Worker

from soporte.jobs import services as jobs
from soporte.jobs.models import Job
from soporte.notify.signals import pagerduty_incident
from soporte.notify.transports.pagerduty import (
    pagerduty_signature,
    verify_pagerduty_signature,
)

# protocols.md §6.2 body B3 and its §6.1 signature with the secret "test_pd_secret"
B3 = (
    b'{"event":{"id":"5ac64822-4adc-4fda-ade0-410becf0de4f","event_type":"incident.ack'
    b'nowledged","resource_type":"incident","occurred_at":"2026-01-05T16:02:00Z","agen'
    b't":null,"client":null,"data":{"id":"PGR0VU2","type":"incident","status":"acknowl'
    b'edged"}}}'
)
PD_SIG = "v1=e11029e8acbedba5a3f1478e43aec119188cd0aad6b61674d36fd8d87cc9e7d9"
OLD, NEW = "old-subscription-secret", "new-subscription-secret"
RECEIVED = datetime(2026, 1, 5, 16, 13, tzinfo=UTC)


# --------------------------------------------------------------------------- the signature


def test_the_known_answer_vector_verifies() -> None:
    assert len(B3) == 249
    assert pagerduty_signature(b"test_pd_secret", B3) == PD_SIG
    assert verify_pagerduty_signature([b"test_pd_secret"], B3, PD_SIG)


def test_any_v1_value_may_match_any_secret() -> None:
    assert verify_pagerduty_signature([b"test_pd_secret"], B3, "v1=00ff, " + PD_SIG)
    assert verify_pagerduty_signature([b"other", b"test_pd_secret"], B3, PD_SIG + ",v1=00ff")


@pytest.mark.parametrize(
    ("secrets", "body", "header"),
    [
        ([b"test_pd_secret"], B3, "v1=00ff"),
        ([b"test_pd_secret"], B3 + b" ", PD_SIG),  # tampered body
        ([b"test_pd_secret"], B3.replace(b"acknowledged", b"resolved"), PD_SIG),
        ([b"another_secret"], B3, PD_SIG),
        ([], B3, PD_SIG),
        ([b"test_pd_secret"], B3, ""),
        ([b"test_pd_secret"], B3, PD_SIG.removeprefix("v1=")),  # no version prefix
        ([b"test_pd_secret"], B3, PD_SIG.upper()),
        ([b"test_pd_secret"], B3, PD_SIG.replace("v1=", "v2=")),
        ([b"test_pd_secret"], B3, "v1=é" + PD_SIG),  # non-ASCII must not raise
    ],
)
def test_anything_else_is_refused(secrets: list[bytes], body: bytes, header: str) -> None:
    assert not verify_pagerduty_signature(secrets, body, header)


# --------------------------------------------------------------------------- the view


@pytest.fixture
def received(settings: Any) -> Iterator[list[dict[str, Any]]]:
    settings.PAGERDUTY_WEBHOOK_SECRETS = [OLD, NEW]
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        kwargs.pop("signal")
        kwargs.pop("now")  # when the job ran: what PagerDuty said is the rest
        calls.append(kwargs)

    pagerduty_incident.connect(receiver, dispatch_uid="test-notify-webhooks")
    yield calls
    pagerduty_incident.disconnect(dispatch_uid="test-notify-webhooks")


def event(
    event_id: str = "01DEN5QGNJMDZ6ZUDR00NQGIBR",
    event_type: str = "incident.acknowledged",
    **data: Any,
) -> bytes:
    document = {
        "event": {
            "id": event_id,
            "event_type": event_type,
            "resource_type": "incident",
            "occurred_at": "2026-01-05T16:12:30.123Z",
            "agent": {
                "id": "PLH1HKV",
                "type": "user_reference",
                "summary": "Mateo Ruiz",
                "email": "mateo@trackmyvend.example",
            },
            "client": None,
            "data": {
                "id": "PGR0VU2",
                "type": "incident",
                "status": event_type.removeprefix("incident."),
                "incident_key": "ticket-4711-p0",
                **data,
            },
        }
    }
    return json.dumps(document).encode()


def post(body: bytes, *signatures: str) -> Any:
    headers = {"X-PagerDuty-Signature": ",".join(signatures)} if signatures else {}
    return Client().post(
        "/hooks/pagerduty", data=body, content_type="application/json", headers=headers
    )


def signed(body: bytes, secret: str) -> str:
    return pagerduty_signature(secret.encode(), body)


@pytest.mark.django_db
def test_an_acknowledgement_is_signalled_once_with_what_pagerduty_said(
    received: list[dict[str, Any]], worker: Worker
) -> None:
    body = event()
    with time_machine.travel(RECEIVED, tick=False):
        response = post(body, signed(body, NEW))

    assert (response.status_code, response.json()) == (200, {"status": "queued"})
    assert received == []  # answered first; handled by a job
    worker.run(at=RECEIVED)
    assert received == [
        {
            "event_type": "incident.acknowledged",
            "dedup_key": "ticket-4711-p0",
            "agent_email": "mateo@trackmyvend.example",
            "occurred_at": datetime(2026, 1, 5, 16, 12, 30, 123000, tzinfo=UTC),
            "received_at": RECEIVED,
            "event_id": "01DEN5QGNJMDZ6ZUDR00NQGIBR",
            "agent_name": "Mateo Ruiz",
            "incident_id": "PGR0VU2",
        }
    ]


@pytest.mark.django_db
def test_a_redelivered_event_is_signalled_once(
    received: list[dict[str, Any]], worker: Worker
) -> None:
    body = event(event_type="incident.resolved")
    assert post(body, signed(body, OLD)).json() == {"status": "queued"}
    worker.run(at=RECEIVED)
    assert post(body, signed(body, OLD)).json() == {"status": "duplicate"}
    worker.later(minutes=5)

    assert [call["event_type"] for call in received] == ["incident.resolved"]
    assert Job.objects.filter(kind="notify.pagerduty_webhook").count() == 1


@pytest.mark.django_db
def test_both_rotated_secrets_are_accepted(received: list[dict[str, Any]], worker: Worker) -> None:
    first, second, third = event("E1"), event("E2"), event("E3")

    assert post(first, signed(first, OLD)).status_code == 200
    assert post(second, signed(second, NEW)).status_code == 200
    # PagerDuty rotating its own secret: two values, the first one unknown here
    assert post(third, signed(third, "gone"), signed(third, NEW)).status_code == 200
    worker.run(at=RECEIVED)

    assert sorted(call["event_id"] for call in received) == ["E1", "E2", "E3"]


@pytest.mark.django_db
def test_a_tampered_or_unsigned_delivery_is_refused(
    received: list[dict[str, Any]], worker: Worker
) -> None:
    body = event()
    tampered = body.replace(b"ticket-4711-p0", b"ticket-9999-p0")

    assert post(tampered, signed(body, NEW)).status_code == 401
    assert post(body).status_code == 401
    assert post(body, signed(body, "not-ours")).status_code == 401
    worker.run(at=RECEIVED)

    assert received == []
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_without_configured_secrets_every_delivery_is_refused(
    received: list[dict[str, Any]], settings: Any
) -> None:
    settings.PAGERDUTY_WEBHOOK_SECRETS = []
    body = event()

    assert post(body, signed(body, "")).status_code == 401
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        event(event_type="incident.triggered"),
        event(event_type="incident.annotated"),
        b"not json",
        b'{"event": "nope"}',
        b'{"event": {"event_type": "incident.acknowledged"}}',
    ],
)
def test_a_verified_delivery_soporte_ignores_is_still_answered_2xx(
    received: list[dict[str, Any]], worker: Worker, body: bytes
) -> None:
    response = post(body, signed(body, NEW))

    assert (response.status_code, response.json()) == (200, {"status": "ignored"})
    worker.run(at=RECEIVED)
    assert received == []
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_documented_sample_is_read_tolerantly(
    received: list[dict[str, Any]], worker: Worker, settings: Any
) -> None:
    settings.PAGERDUTY_WEBHOOK_SECRETS = ["test_pd_secret"]

    with time_machine.travel(RECEIVED, tick=False):
        assert post(B3, PD_SIG).json() == {"status": "queued"}
    worker.run(at=RECEIVED)

    assert received == [
        {
            "event_type": "incident.acknowledged",
            "dedup_key": None,  # B3 carries no incident_key
            "agent_email": None,
            "occurred_at": datetime(2026, 1, 5, 16, 2, tzinfo=UTC),
            "received_at": RECEIVED,
            "event_id": "5ac64822-4adc-4fda-ade0-410becf0de4f",
            "agent_name": None,
            "incident_id": "PGR0VU2",
        }
    ]


@pytest.mark.django_db
def test_a_receivers_writes_commit_with_the_job_and_a_failure_retries_it(
    received: list[dict[str, Any]], worker: Worker
) -> None:
    failures = ["escalation is down"]

    def write_then_fail_once(sender: Any, **kwargs: Any) -> None:
        jobs.schedule(kind="test.effect", key="effect", due_at=worker.now + timedelta(days=9))
        if failures:
            raise RuntimeError(failures.pop())

    pagerduty_incident.connect(write_then_fail_once, dispatch_uid="test-notify-flaky")
    try:
        body = event()
        post(body, signed(body, NEW))
        worker.run(at=RECEIVED)
        job = Job.objects.get()
        assert job.status == Job.Status.PENDING
        assert "escalation is down" in job.last_error
        assert not Job.objects.filter(key="effect").exists()  # rolled back with the attempt
        worker.run_next()
    finally:
        pagerduty_incident.disconnect(dispatch_uid="test-notify-flaky")

    assert Job.objects.get(kind="notify.pagerduty_webhook").status == Job.Status.DONE
    assert Job.objects.filter(key="effect").exists()
    assert len(received) == 2  # the signal went out on both attempts


@pytest.mark.django_db
def test_only_post_is_allowed() -> None:
    assert Client().get("/hooks/pagerduty").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [5_000, 200_000])
def test_a_deeply_nested_signed_body_is_a_400_with_a_message(
    received: list[dict[str, Any]], depth: int
) -> None:
    body = b'{"event":' * depth + b"{}" + b"}" * depth
    response = post(body, signed(body, NEW))
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert not Job.objects.filter(kind="notify.pagerduty_webhook").exists()


@pytest.mark.django_db
def test_the_time_it_was_received_is_signalled_beside_pagerduty_s_own(
    received: list[dict[str, Any]], worker: Worker
) -> None:
    body = event()
    at = datetime(2026, 12, 2, 5, 3, tzinfo=UTC)  # our clock when it arrives
    with time_machine.travel(at, tick=False):
        assert post(body, signed(body, NEW)).status_code == 200
    worker.run(at=at)
    [call] = received
    assert call["received_at"] == at
    assert call["occurred_at"] == datetime(2026, 1, 5, 16, 12, 30, 123000, tzinfo=UTC)
