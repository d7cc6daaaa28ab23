"""PagerDuty Events API v2 through the outbox, against the local fake PagerDuty over real HTTP."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from django.utils import timezone
from fake_pagerduty import FakePagerDuty
from notify_helpers import ROUTING_KEY, Worker

from soporte.jobs.models import Job, OutboxMessage
from soporte.jobs.outbox import enqueue
from soporte.notify.transports.pagerduty import (
    enqueue_pagerduty,
    pagerduty_event,
    pagerduty_follow_up,
)

pytestmark = pytest.mark.django_db

OPENED = datetime(2026, 1, 5, 16, 2, tzinfo=UTC)


def trigger(dedup_key: str = "ticket-4711-p0", **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "routing_key": ROUTING_KEY,
        "event_action": "trigger",
        "dedup_key": dedup_key,
        "summary": "P0: checkout down for customer ACME (ticket #4711)",
        "source": "support-desk",
        "severity": "critical",
        "timestamp": OPENED,
        "component": "checkout",
        "custom_details": {"ticket_id": 4711, "channel": "whatsapp"},
        "links": [{"href": "https://desk.example.com/tickets/4711", "text": "Ticket #4711"}],
        "client": "Support Desk",
        "client_url": "https://desk.example.com",
    }
    fields.update(overrides)
    return pagerduty_event(**fields)


# --------------------------------------------------------------------------- the builder


def test_a_trigger_has_the_documented_shape() -> None:
    assert trigger() == {
        "routing_key": ROUTING_KEY,
        "event_action": "trigger",
        "dedup_key": "ticket-4711-p0",
        "payload": {
            "summary": "P0: checkout down for customer ACME (ticket #4711)",
            "source": "support-desk",
            "severity": "critical",
            "timestamp": "2026-01-05T16:02:00Z",
            "component": "checkout",
            "custom_details": {"ticket_id": 4711, "channel": "whatsapp"},
        },
        "links": [{"href": "https://desk.example.com/tickets/4711", "text": "Ticket #4711"}],
        "client": "Support Desk",
        "client_url": "https://desk.example.com",
    }


def test_acknowledge_and_resolve_reuse_the_triggers_routing_and_dedup_keys() -> None:
    first = trigger()
    for action in ("acknowledge", "resolve"):
        assert pagerduty_follow_up(first, action) == {
            "routing_key": ROUTING_KEY,
            "event_action": action,
            "dedup_key": "ticket-4711-p0",
        }


def test_a_ruleset_routing_key_is_accepted() -> None:
    assert trigger(routing_key="R0123ABC")["routing_key"] == "R0123ABC"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"routing_key": "0123456789"}, "routing_key"),
        ({"routing_key": ""}, "routing_key"),
        ({"event_action": "page"}, "event_action"),
        ({"dedup_key": ""}, "dedup_key"),
        ({"dedup_key": "k" * 256}, "dedup_key"),
        ({"summary": "s" * 1025}, "payload.summary"),
        ({"summary": None}, "payload.summary"),
        ({"source": ""}, "payload.source"),
        ({"severity": "fatal"}, "payload.severity"),
        ({"timestamp": datetime(2026, 1, 5, 16, 2)}, "timestamp"),  # noqa: DTZ001 (naive on purpose)
        ({"custom_details": {"log": "x" * (512 * 1024)}}, "event"),
        ({"custom_details": {"when": OPENED}}, "event"),
        ({"custom_details": ["not", "an", "object"]}, "payload.custom_details"),
        ({"links": [{"text": "no href"}]}, "links[0].href"),
        ({"links": ["https://desk.example.com"]}, "links[0].href"),
    ],
)
def test_the_builder_names_the_field_it_refuses(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{re.escape(field)}: "):
        trigger(**overrides)


def test_limits_are_inclusive() -> None:
    event = trigger(dedup_key="k" * 255, summary="s" * 1024)
    assert len(event["dedup_key"]) == 255
    assert len(event["payload"]["summary"]) == 1024


def test_a_follow_up_carries_no_payload() -> None:
    with pytest.raises(ValueError, match=r"^summary: only a trigger"):
        pagerduty_event(
            routing_key=ROUTING_KEY, event_action="resolve", dedup_key="k", summary="done"
        )


# --------------------------------------------------------------------------- the fake itself


def test_the_fake_refuses_a_body_that_breaks_the_documented_format(
    fake_pagerduty: FakePagerDuty,
) -> None:
    bad = {"routing_key": "short", "event_action": "trigger", "payload": {"summary": "x"}}
    response = httpx.post(f"{fake_pagerduty.base_url}/v2/enqueue", json=bad)

    assert response.status_code == 400
    assert response.json()["status"] == "invalid event"
    assert "routing_key: not 32 characters nor a ruleset key" in fake_pagerduty.problems
    assert "payload.severity: None" in fake_pagerduty.problems
    assert fake_pagerduty.events == {}


# --------------------------------------------------------------------------- delivery


def test_an_accepted_trigger_is_sent_once_and_never_again(
    fake_pagerduty: FakePagerDuty, worker: Worker
) -> None:
    event = trigger()
    message = enqueue_pagerduty(key="page:1:trigger", event=event, due_at=timezone.now())

    assert worker.run() == 1
    assert worker.later(hours=2) == 0

    assert len(fake_pagerduty.posted()) == 1
    assert fake_pagerduty.problems == []
    assert fake_pagerduty.events["ticket-4711-p0"] == [event]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")
    assert Job.objects.get().status == Job.Status.DONE


def test_a_400_fails_the_message_at_once_and_is_never_retried(
    fake_pagerduty: FakePagerDuty, worker: Worker
) -> None:
    fake_pagerduty.answer("400")
    message = enqueue_pagerduty(key="page:1:trigger", event=trigger(), due_at=timezone.now())

    assert worker.run() == 1
    assert worker.later(hours=2) == 0
    assert services_next_due() is None

    assert len(fake_pagerduty.posted()) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.last_error.startswith(
        "PermanentDeliveryError: PagerDuty Events API answered 400: "
    )
    assert "invalid event" in message.last_error


def test_an_event_is_checked_where_it_is_built_and_sent_as_it_is(
    fake_pagerduty: FakePagerDuty, worker: Worker
) -> None:
    with pytest.raises(ValueError, match=r"^payload.severity: expected one of critical, error"):
        trigger(severity="fatal")
    # queued around the builder, a bad event is PagerDuty's to refuse: failed for good at once
    bad = {**trigger(), "payload": {"summary": "x", "source": "desk", "severity": "fatal"}}
    message = enqueue(
        transport="pagerduty", key="page:1:trigger", payload=bad, due_at=timezone.now()
    )

    assert worker.run() == 1
    assert worker.later(hours=2) == 0

    assert [r.answer for r in fake_pagerduty.posted()] == ["400"]
    assert "payload.severity: 'fatal'" in fake_pagerduty.problems
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert "PagerDuty Events API answered 400: " in message.last_error


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        ("429", "PagerDuty Events API answered 429: "),
        ("500", "PagerDuty Events API answered 500: "),
        ("503", "PagerDuty Events API answered 503: "),
        ("slow", "/v2/enqueue: no answer within 0.3 s (ReadTimeout)"),
        ("drop", "/v2/enqueue: RemoteProtocolError: Server disconnected"),
    ],
)
def test_a_transient_failure_is_retried_with_backoff_then_delivered_once(
    fake_pagerduty: FakePagerDuty, worker: Worker, settings: Any, failure: str, error: str
) -> None:
    settings.PAGERDUTY_TIMEOUT = 0.3  # the "slow" answer is held until the client gives up
    fake_pagerduty.answer(failure)
    event = trigger()
    message = enqueue_pagerduty(key="page:1:trigger", event=event, due_at=timezone.now())

    assert worker.run() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error.startswith("DeliveryError: ")
    assert error in message.last_error
    job = Job.objects.get()
    assert job.status == Job.Status.PENDING
    assert job.due_at >= worker.now + timedelta(seconds=2)  # 2**1 s, plus jitter
    assert fake_pagerduty.events == {}
    assert worker.run() == 0  # not before its backoff

    assert worker.run_next() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
    assert [r.answer for r in fake_pagerduty.posted()] == [failure, "202"]
    assert fake_pagerduty.events["ticket-4711-p0"] == [event]
    assert worker.later(hours=2) == 0
    assert len(fake_pagerduty.posted()) == 2


def test_backoff_grows_while_pagerduty_keeps_failing(
    fake_pagerduty: FakePagerDuty, worker: Worker
) -> None:
    fake_pagerduty.answer("500", "500", "429", "500")
    message = enqueue_pagerduty(key="page:1:trigger", event=trigger(), due_at=timezone.now())

    waits = []
    for _ in range(4):
        worker.run_next()
        waits.append(Job.objects.get().due_at - worker.now)
    worker.run_next()

    # 2**attempt seconds after each failed attempt, plus up to 25 % jitter
    for attempt, wait in enumerate(waits, start=1):
        assert timedelta(seconds=2**attempt) <= wait <= timedelta(seconds=1.25 * 2**attempt)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 5)
    assert len(fake_pagerduty.events["ticket-4711-p0"]) == 1


def test_trigger_acknowledge_resolve_reach_the_same_alert(
    fake_pagerduty: FakePagerDuty, worker: Worker
) -> None:
    first = trigger(dedup_key="ticket-17-p0")
    enqueue_pagerduty(key="page:17:trigger", event=first, due_at=timezone.now())
    worker.run()
    enqueue_pagerduty(
        key="page:17:acknowledge",
        event=pagerduty_follow_up(first, "acknowledge"),
        due_at=timezone.now(),
    )
    worker.later(seconds=1)
    enqueue_pagerduty(
        key="page:17:resolve", event=pagerduty_follow_up(first, "resolve"), due_at=timezone.now()
    )
    worker.later(seconds=1)

    events = fake_pagerduty.events["ticket-17-p0"]
    assert [e["event_action"] for e in events] == ["trigger", "acknowledge", "resolve"]
    assert {e["routing_key"] for e in events} == {ROUTING_KEY}
    assert list(fake_pagerduty.events) == ["ticket-17-p0"]
    assert fake_pagerduty.problems == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def services_next_due() -> datetime | None:
    from soporte.jobs import services

    return services.next_due_at()
