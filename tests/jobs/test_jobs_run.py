"""Running jobs: success, retries with backoff, failure, unknown kinds, leases and takeovers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from probeapp.models import ProbeEffect
from probeapp.probe import KIND
from soporte.jobs import services
from soporte.jobs.models import Job
from soporte.jobs.services import Outcome

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


def _effects(key: str) -> list[tuple[str, int]]:
    return list(ProbeEffect.objects.filter(key=key).values_list("worker", "attempt"))


def test_a_due_job_runs_once_and_its_effect_commits_with_its_completion() -> None:
    services.schedule(kind=KIND, key="p:1", due_at=T0)

    assert services.run_due(worker="w1", now=T0) == 1
    assert services.run_due(worker="w1", now=T0 + timedelta(hours=1)) == 0

    job = Job.objects.get()
    assert (job.status, job.attempts, job.locked_by, job.lease_until) == ("done", 1, "w1", None)
    assert job.finished_at == T0
    assert job.last_error == ""
    assert _effects("p:1") == [("w1", 1)]


def test_a_failing_handler_is_rolled_back_and_retried_with_backoff() -> None:
    services.schedule(kind=KIND, key="p:1", due_at=T0, payload={"fail_times": 2})

    assert services.run_due(worker="w1", now=T0) == 1
    job = Job.objects.get()
    assert job.status == Job.Status.PENDING
    assert job.attempts == 1
    assert "ProbeFailure: probe p:1 asked to fail on attempt 1" in job.last_error
    assert T0 + timedelta(seconds=2) <= job.due_at <= T0 + timedelta(seconds=2.5)
    assert (job.locked_by, job.lease_until) == ("", None)
    assert _effects("p:1") == []  # the failed attempt's effect rolled back

    assert services.run_due(worker="w1", now=T0 + timedelta(seconds=1)) == 0  # not due yet
    second = job.due_at
    assert services.run_due(worker="w2", now=second) == 1
    job.refresh_from_db()
    assert job.attempts == 2
    assert second + timedelta(seconds=4) <= job.due_at <= second + timedelta(seconds=5)
    assert _effects("p:1") == []

    assert services.run_due(worker="w3", now=job.due_at) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == ("done", 3, "")
    assert _effects("p:1") == [("w3", 3)]


def test_backoff_doubles_is_capped_at_ten_minutes_and_jittered() -> None:
    for attempts, base in [(1, 2), (2, 4), (5, 32), (9, 512), (10, 600), (30, 600)]:
        delays = {services.backoff(attempts).total_seconds() for _ in range(20)}
        assert all(base <= d <= base * 1.25 for d in delays), (attempts, delays)
        assert len(delays) > 1


def test_a_job_fails_after_max_attempts() -> None:
    job = services.schedule(kind=KIND, key="p:1", due_at=T0, payload={"fail_times": 99})
    Job.objects.filter(pk=job.pk).update(max_attempts=3)

    now = T0
    for _ in range(3):
        assert services.run_due(worker="w", now=now) == 1
        job.refresh_from_db()
        now = job.due_at
    assert services.run_due(worker="w", now=now + timedelta(days=1)) == 0

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 3)
    assert job.finished_at is not None
    assert "asked to fail on attempt 3" in job.last_error
    assert _effects("p:1") == []


def test_an_unknown_kind_fails_at_once_with_a_clear_error() -> None:
    services.schedule(kind="nobody.handles.this", key="x:1", due_at=T0)

    assert services.run_due(worker="w", now=T0) == 1

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.attempts == 1
    assert "no handler is registered for job kind 'nobody.handles.this'" in job.last_error
    assert KIND in job.last_error  # the message lists the kinds that are known


def test_an_expired_lease_is_taken_over_and_the_stale_worker_is_refused() -> None:
    services.schedule(kind=KIND, key="p:1", due_at=T0)
    [slow] = services.claim_due(worker="slow", now=T0, lease=LEASE)

    # Within the lease nobody else may take the job.
    assert services.claim_due(worker="fast", now=T0 + timedelta(seconds=59), lease=LEASE) == []

    # The lease expires (the slow worker hung, or died): another worker takes over and runs it.
    after = T0 + timedelta(seconds=61)
    assert services.run_due(worker="fast", now=after, lease=LEASE) == 1
    assert _effects("p:1") == [("fast", 2)]

    # The slow worker wakes up: its completion is refused and its effect never happens.
    assert services.run_claimed(slow, worker="slow", now=after) is Outcome.SKIPPED
    job = Job.objects.get()
    assert (job.status, job.locked_by, job.attempts) == ("done", "fast", 2)
    assert _effects("p:1") == [("fast", 2)]


def test_a_stale_claim_is_refused_even_while_the_new_owner_is_still_running() -> None:
    services.schedule(kind=KIND, key="p:1", due_at=T0)
    [old] = services.claim_due(worker="a", now=T0, lease=LEASE)
    [new] = services.claim_due(worker="b", now=T0 + timedelta(minutes=2), lease=LEASE)
    assert new.attempt == old.attempt + 1

    assert services.run_claimed(old, worker="a", now=T0 + timedelta(minutes=2)) is Outcome.SKIPPED
    assert services.run_claimed(new, worker="b", now=T0 + timedelta(minutes=2)) is Outcome.DONE
    assert _effects("p:1") == [("b", 2)]


def test_the_same_worker_cannot_complete_an_older_claim_of_its_own() -> None:
    services.schedule(kind=KIND, key="p:1", due_at=T0)
    [first] = services.claim_due(worker="w", now=T0, lease=LEASE)
    [second] = services.claim_due(worker="w", now=T0 + timedelta(minutes=2), lease=LEASE)

    assert services.run_claimed(first, worker="w", now=T0) is Outcome.SKIPPED
    assert services.run_claimed(second, worker="w", now=T0) is Outcome.DONE
    assert _effects("p:1") == [("w", 2)]


def test_a_job_whose_lease_expires_on_every_attempt_is_abandoned() -> None:
    job = services.schedule(kind=KIND, key="p:1", due_at=T0)
    Job.objects.filter(pk=job.pk).update(max_attempts=2)
    services.claim_due(worker="a", now=T0, lease=LEASE)  # a dies
    services.claim_due(worker="b", now=T0 + timedelta(minutes=2), lease=LEASE)  # b dies

    assert services.run_due(worker="c", now=T0 + timedelta(minutes=4), lease=LEASE) == 1

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 3)
    assert "the lease expired on all 2 attempts" in job.last_error
    assert _effects("p:1") == []


def test_a_stopping_worker_releases_the_claims_it_has_not_started() -> None:
    for i in range(5):
        services.schedule(kind=KIND, key=f"p:{i}", due_at=T0)
    stop = threading.Event()
    stop.set()

    assert services.run_due(worker="w", now=T0, stop=stop) == 0

    assert set(Job.objects.values_list("status", "attempts", "locked_by")) == {("pending", 0, "")}
    assert services.run_due(worker="w2", now=T0) == 5


def test_claims_are_limited_and_shared_between_workers() -> None:
    for i in range(7):
        services.schedule(kind=KIND, key=f"p:{i}", due_at=T0)

    a = services.claim_due(worker="a", now=T0, limit=4)
    b = services.claim_due(worker="b", now=T0, limit=4)

    assert (len(a), len(b)) == (4, 3)
    assert not {c.key for c in a} & {c.key for c in b}
    assert services.claim_due(worker="c", now=T0, limit=4) == []
