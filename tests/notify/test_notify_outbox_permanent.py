"""A transport's PermanentDeliveryError fails the message at once; DeliveryError retries."""

from __future__ import annotations

import pytest
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
    message = outbox.enqueue(transport="test-refusing", key="page:1", payload={})

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


def test_a_permanent_error_is_a_delivery_error() -> None:
    assert issubclass(outbox.PermanentDeliveryError, outbox.DeliveryError)
