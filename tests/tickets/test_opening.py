"""``tickets.opening``: the rows of new tickets, and the rule that keeps imports from paging."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from soporte.jobs.models import DEFAULT_MAX_ATTEMPTS, Job, OutboxMessage
from soporte.jobs.outbox import delivery
from soporte.policy import default_policy
from soporte.tickets import services
from soporte.tickets.domain.imports import page_reach, pages_on_import
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Message
from soporte.tickets.opening import Opening, TicketSpec, instance

NOW = datetime.fromisoformat("2026-11-30T10:00:00-06:00")


def test_an_import_pages_only_within_the_chains_reach() -> None:
    policy = default_policy()
    assert page_reach(policy) == timedelta(minutes=30)  # the founder and CTO step
    assert pages_on_import(policy, received_at=NOW, now=NOW)
    assert pages_on_import(policy, received_at=NOW - timedelta(minutes=30), now=NOW)
    assert not pages_on_import(policy, received_at=NOW - timedelta(minutes=31), now=NOW)
    assert not pages_on_import(policy, received_at=NOW - timedelta(days=200), now=NOW)


@pytest.mark.django_db
def test_an_acknowledgement_is_delivered_by_a_pending_job_due_now(world: Any) -> None:
    """The delivery row is the outbox's delivery job (``jobs.outbox.delivery``) with a new
    job's defaults; a requester without an address gets no email and no job."""
    ana, ben = world.contacts["pro"], world.contacts["starter"]
    ben.user.email = ""
    ben.user.save()
    spec = TicketSpec(
        requester=ana, channel="email", severity="P2", subject="x", body="y", received_at=NOW
    )
    now = timezone.now()
    batch = Opening(default_policy(), now=now).batch(
        [spec, replace(spec, requester=ben)], pages=[True, True]
    )
    batch.clocks([41, 42])
    rest = batch.rest(range(7, 7 + sum(map(len, batch.clock_values))))
    assert rest.emails == ["ack:41"]
    (row,) = batch.deliveries([99], rest.emails)
    job = instance(Job, row)
    assert (job.kind, job.key, job.payload, job.due_at) == delivery(99, "ack:41", due_at=now)
    assert (job.status, job.attempts, job.max_attempts, job.urgent, job.created_at) == (
        Job.Status.PENDING,
        0,
        DEFAULT_MAX_ATTEMPTS,
        False,
        now,
    )


@pytest.mark.django_db
def test_the_acknowledgement_keeps_percent_signs_and_placeholders_as_typed(world: Any) -> None:
    ana = world.contacts["pro"]
    ana.name = "Ana 100% %(number)s"
    ana.save()
    typed = {"subject": "50% off %(due)s", "body": "hi", "intake": Intake(), "received_at": NOW}
    ticket = services.open_ticket(requester=ana, channel="email", severity="P2", now=NOW, **typed)
    ack = ticket.messages.order_by("id").last()
    assert isinstance(ack, Message)
    assert "Ana 100% %(number)s" in ack.body
    email = OutboxMessage.objects.get(idempotency_key=f"ack:{ticket.pk}")
    assert email.payload["subject"].endswith("50% off %(due)s")
    assert f"#{ticket.pk}" in email.payload["body"]
