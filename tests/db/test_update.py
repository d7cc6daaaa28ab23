"""``soporte.db.update``: one row changed by key, values stored as ``save`` would store them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from soporte.db.update import update
from soporte.jobs.models import Job, OutboxMessage
from soporte.tickets.models import Ticket


def _message() -> OutboxMessage:
    return OutboxMessage.objects.create(transport="email", idempotency_key="k", payload={})


def test_sets_values_and_increments(db: Any) -> None:
    message = _message()
    sent = timezone.now() - timedelta(minutes=3)
    changed = update(
        OutboxMessage,
        message.pk,
        increment=["attempts"],
        status=OutboxMessage.Status.SENT,
        sent_at=sent,
        last_error="",
    )
    message.refresh_from_db()
    assert changed == 1
    assert (message.status, message.sent_at, message.attempts) == ("sent", sent, 1)
    update(OutboxMessage, message.pk, increment=["attempts"])
    message.refresh_from_db()
    assert message.attempts == 2


def test_only_the_row_that_matches_where(db: Any) -> None:
    due = timezone.now()
    job = Job.objects.create(kind="k", key="a", due_at=due, locked_by="w1")
    other = Job.objects.create(kind="k", key="b", due_at=due, locked_by="w1")
    assert update(Job, job.pk, where={"locked_by": "w2"}, status=Job.Status.DONE) == 0
    assert update(Job, job.pk, where={"lease_until": None, "locked_by": "w1"}, attempts=5) == 1
    job.refresh_from_db()
    other.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.PENDING, 5)
    assert other.attempts == 0
    assert update(Job, 10**9, status=Job.Status.DONE) == 0


def test_refuses_what_is_not_a_column(db: Any) -> None:
    with pytest.raises(ValueError, match="nothing to change"):
        update(Job, 1)
    with pytest.raises(ValueError, match="OutboxMessage has no field 'colour'"):
        update(OutboxMessage, 1, colour="red")
    with pytest.raises(ValueError, match=r"Ticket\.messages is not a column"):
        update(Ticket, 1, messages=1)
