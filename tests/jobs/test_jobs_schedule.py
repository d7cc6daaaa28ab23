"""schedule / cancel / next_due_at: idempotent on the key, joined to the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soporte.jobs import services
from soporte.jobs.models import Job

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def test_schedule_creates_one_pending_job_per_key() -> None:
    job = services.schedule(kind="jobs.probe", key="k:1", due_at=T0, payload={"a": 1})

    assert job.status == Job.Status.PENDING
    assert (job.kind, job.key, job.due_at, job.payload) == ("jobs.probe", "k:1", T0, {"a": 1})
    assert (job.attempts, job.max_attempts, job.lease_until, job.locked_by) == (0, 8, None, "")
    assert Job.objects.count() == 1


def test_a_new_key_is_one_insert_without_a_savepoint() -> None:
    """A new job costs one statement in the caller's transaction (no read first, no savepoint:
    a taken key is skipped by the insert, then rescheduled); the job returned is the row."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        job = services.schedule(kind="jobs.probe", key="k:1", due_at=T0, urgent=True)
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"]
    stored = Job.objects.get()
    assert (job.pk, job.due_at, job.urgent, job.created_at) == (
        stored.pk,
        stored.due_at,
        True,
        stored.created_at,
    )


def test_schedule_new_creates_a_key_once_and_leaves_a_taken_one_as_it_is() -> None:
    """For an event stored once however often it is delivered (Slack's retries): a taken key
    is not rescheduled, and each call is one statement."""
    with CaptureQueriesContext(connection) as queries:
        job = services.schedule_new(kind="jobs.probe", key="k:1", due_at=T0, payload={"v": 1})
        again = services.schedule_new(
            kind="jobs.probe", key="k:1", due_at=T0 + timedelta(hours=1), payload={"v": 2}
        )
    assert job is not None
    assert again is None
    assert len(queries) == 2
    stored = Job.objects.get()
    assert (stored.pk, stored.due_at, stored.payload) == (job.pk, T0, {"v": 1})


def test_scheduling_a_pending_key_again_reschedules_it() -> None:
    first = services.schedule(kind="jobs.probe", key="k:1", due_at=T0, payload={"v": 1})
    later = T0 + timedelta(hours=2)

    again = services.schedule(kind="jobs.probe", key="k:1", due_at=later, payload={"v": 2})

    assert again.pk == first.pk
    assert Job.objects.count() == 1
    stored = Job.objects.get()
    assert (stored.due_at, stored.payload) == (later, {"v": 2})


@pytest.mark.parametrize("final", [Job.Status.DONE, Job.Status.CANCELLED, Job.Status.FAILED])
def test_a_finished_key_is_left_alone(final: Job.Status) -> None:
    job = services.schedule(kind="jobs.probe", key="k:1", due_at=T0, payload={"v": 1})
    Job.objects.filter(pk=job.pk).update(status=final)

    again = services.schedule(kind="jobs.probe", key="k:1", due_at=T0 + timedelta(days=1))

    assert again.pk == job.pk
    assert again.status == final
    stored = Job.objects.get()
    assert (stored.due_at, stored.payload, stored.status) == (T0, {"v": 1}, final)


def test_a_versioned_key_gives_a_new_effect() -> None:
    services.schedule(kind="jobs.probe", key="sla.breach:clock:42:v1", due_at=T0)
    services.cancel(key="sla.breach:clock:42:v1", now=timezone.now())

    services.schedule(kind="jobs.probe", key="sla.breach:clock:42:v2", due_at=T0)

    assert dict(Job.objects.values_list("key", "status")) == {
        "sla.breach:clock:42:v1": "cancelled",
        "sla.breach:clock:42:v2": "pending",
    }


def test_cancel_cancels_only_pending_jobs() -> None:
    services.schedule(kind="jobs.probe", key="pending", due_at=T0)
    done = services.schedule(kind="jobs.probe", key="done", due_at=T0)
    Job.objects.filter(pk=done.pk).update(status=Job.Status.DONE)

    assert services.cancel(key="pending", now=timezone.now()) is True
    assert services.cancel(key="pending", now=timezone.now()) is False
    assert services.cancel(key="done", now=timezone.now()) is False
    assert services.cancel(key="missing", now=timezone.now()) is False
    assert Job.objects.get(key="pending").status == Job.Status.CANCELLED
    assert Job.objects.get(key="pending").finished_at is not None
    assert Job.objects.get(key="done").status == Job.Status.DONE


def test_a_cancelled_job_never_runs() -> None:
    services.schedule(kind="jobs.probe", key="k:1", due_at=T0)
    services.cancel(key="k:1", now=timezone.now())

    assert services.run_due(worker="w", now=T0 + timedelta(hours=1)) == 0
    assert Job.objects.get().status == Job.Status.CANCELLED


def test_the_timer_rolls_back_with_the_callers_transaction() -> None:
    def schedule_then_fail() -> None:
        with transaction.atomic():
            services.schedule(kind="jobs.probe", key="k:1", due_at=T0)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        schedule_then_fail()

    assert not Job.objects.exists()


def test_cancel_rolls_back_with_the_callers_transaction() -> None:
    services.schedule(kind="jobs.probe", key="k:1", due_at=T0)

    def cancel_then_fail() -> None:
        with transaction.atomic():
            services.cancel(key="k:1", now=timezone.now())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        cancel_then_fail()

    assert Job.objects.get().status == Job.Status.PENDING


def test_naive_times_and_empty_keys_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValueError, match="due_at: expected an aware datetime"):
        services.schedule(kind="jobs.probe", key="k", due_at=datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="key: must not be empty"):
        services.schedule(kind="jobs.probe", key="", due_at=T0)
    with pytest.raises(ValueError, match="kind: must not be empty"):
        services.schedule(kind="", key="k", due_at=T0)
    assert not Job.objects.exists()


def test_next_due_at_is_the_earliest_pending_time_or_expiring_lease() -> None:
    assert services.next_due_at() is None
    services.schedule(kind="jobs.probe", key="late", due_at=T0 + timedelta(hours=1))
    services.schedule(kind="jobs.probe", key="early", due_at=T0 + timedelta(minutes=5))
    assert services.next_due_at() == T0 + timedelta(minutes=5)

    services.claim_due(worker="w", now=T0 + timedelta(minutes=5), lease=timedelta(seconds=30))
    assert services.next_due_at() == T0 + timedelta(minutes=5, seconds=30)


def test_jobs_not_yet_due_are_not_claimed_and_due_ones_come_earliest_first() -> None:
    for minutes in (30, 10, 20, 90):
        services.schedule(
            kind="jobs.probe", key=f"m{minutes}", due_at=T0 + timedelta(minutes=minutes)
        )

    claims = services.claim_due(worker="w", now=T0 + timedelta(minutes=30), limit=10)

    assert [c.key for c in claims] == ["m10", "m20", "m30"]
    assert Job.objects.get(key="m90").status == Job.Status.PENDING
