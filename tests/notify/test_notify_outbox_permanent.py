"""A transport's PermanentDeliveryError fails the message at once; DeliveryError retries."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone
from notify_helpers import Worker

from soporte.jobs import outbox
from soporte.jobs.models import Job, OutboxMessage

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


@outbox.transport("test-refusing")
def _refusing(message: OutboxMessage) -> None:
    CALLS.append(message.idempotency_key)
    raise outbox.PermanentDeliveryError("the receiver said 400: invalid event")


def test_a_permanent_error_fails_the_message_without_retrying(worker: Worker) -> None:
    CALLS.clear()
    message = outbox.enqueue(
        transport="test-refusing", key="page:1", payload={}, due_at=timezone.now()
    )

    assert worker.run() == 1
    assert worker.later(days=1) == 0

    assert CALLS == ["page:1"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.last_error == "PermanentDeliveryError: the receiver said 400: invalid event"
    assert message.sent_at is None
    job = Job.objects.get()
    assert job.status == Job.Status.DONE  # the job did its work: it decided the message failed
    assert job.attempts == 1


def test_a_failing_failure_hook_leaves_the_message_pending_and_retries_the_job(
    worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    CALLS.clear()
    mark_failed = outbox._mark_failed
    hook_failures = ["the fallback could not be queued"]

    def mark_then_hook(job: Job, *, now: datetime) -> None:
        mark_failed(job, now=now)
        if hook_failures:
            raise RuntimeError(hook_failures.pop())

    monkeypatch.setattr(outbox, "_mark_failed", mark_then_hook)
    message = outbox.enqueue(
        transport="test-refusing", key="page:1", payload={}, due_at=timezone.now()
    )

    worker.run()
    message.refresh_from_db()
    assert message.status == "pending"  # the mark rolled back with the hook
    job = Job.objects.get()
    assert job.status == Job.Status.PENDING
    assert "the fallback could not be queued" in job.last_error

    worker.run_next()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)
    assert Job.objects.get().status == Job.Status.DONE
    assert CALLS == ["page:1", "page:1"]


def test_a_permanent_error_is_a_delivery_error() -> None:
    assert issubclass(outbox.PermanentDeliveryError, outbox.DeliveryError)
