"""The claim: which jobs, in which order, with which lease, in how many statements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from probeapp.probe import KIND
from soporte.jobs import cli, services, worker
from soporte.jobs.models import Job

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)


def _statements(queries: CaptureQueriesContext) -> list[str]:
    """The statements run, without transaction control (BEGIN, SAVEPOINT, RELEASE...)."""
    control = ("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].upper().startswith(control)]


def test_a_claim_sets_the_lease_and_the_attempt_on_the_earliest_due_jobs() -> None:
    for minutes in (4, 0, 3, 1, 2):
        services.schedule(kind=KIND, key=f"m{minutes}", due_at=T0 + timedelta(minutes=minutes))
    now = T0 + timedelta(minutes=10)

    claims = services.claim_due(worker="a", now=now, limit=2, lease=LEASE)

    assert [(c.key, c.attempt) for c in claims] == [("m0", 1), ("m1", 1)]
    claimed = Job.objects.filter(key__in=["m0", "m1"])
    assert {(j.status, j.locked_by, j.lease_until, j.attempts) for j in claimed} == {
        ("running", "a", now + LEASE, 1)
    }
    assert set(Job.objects.exclude(key__in=["m0", "m1"]).values_list("status", flat=True)) == {
        "pending"
    }


def test_urgent_jobs_are_claimed_before_any_other_due_job() -> None:
    for minutes in range(6):
        services.schedule(kind=KIND, key=f"m{minutes}", due_at=T0 + timedelta(minutes=minutes))
    services.schedule(kind=KIND, key="page-late", due_at=T0 + timedelta(minutes=5), urgent=True)
    services.schedule(kind=KIND, key="page-future", due_at=T0 + timedelta(hours=1), urgent=True)
    now = T0 + timedelta(minutes=10)

    claims = services.claim_due(worker="a", now=now, limit=3, lease=LEASE)

    assert [c.key for c in claims] == ["page-late", "m0", "m1"]  # not the future one
    assert Job.objects.get(key="page-future").status == "pending"


def test_expired_leases_and_due_jobs_are_claimed_together_earliest_due_first() -> None:
    for minutes in range(5):
        services.schedule(kind=KIND, key=f"m{minutes}", due_at=T0 + timedelta(minutes=minutes))
    services.claim_due(worker="dead", now=T0 + timedelta(minutes=1), limit=2, lease=LEASE)
    later = T0 + timedelta(minutes=10)  # the dead worker's lease is long gone

    claims = services.claim_due(worker="b", now=later, limit=3, lease=LEASE)

    assert [(c.key, c.attempt) for c in claims] == [("m0", 2), ("m1", 2), ("m2", 1)]
    assert set(Job.objects.filter(locked_by="b").values_list("lease_until", flat=True)) == {
        later + LEASE
    }
    # Within b's lease nobody takes them; the rest is still there for others.
    assert [c.key for c in services.claim_due(worker="c", now=later, limit=10)] == ["m3", "m4"]
    assert services.claim_due(worker="d", now=later + LEASE - timedelta(seconds=1)) == []


def test_a_claim_is_one_read_and_one_statement_and_an_idle_poll_writes_nothing() -> None:
    for n in range(30):
        services.schedule(kind=KIND, key=f"p:{n}", due_at=T0)

    with CaptureQueriesContext(connection) as idle:
        assert services.claim_due(worker="w", now=T0 - timedelta(seconds=1)) == []
    with CaptureQueriesContext(connection) as busy:
        claims = services.claim_due(worker="w", now=T0, limit=25)

    assert len(claims) == 25
    assert all(sql.upper().startswith("SELECT") for sql in _statements(idle))
    statements = _statements(busy)
    assert len(statements) == 2
    assert statements[0].upper().startswith("SELECT")
    assert statements[1].upper().lstrip().startswith("UPDATE")


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        services.claim_due(worker="w", now=T0, limit=0)


def test_the_worker_and_its_command_claim_the_same_default_batch() -> None:
    assert cli.DEFAULT_BATCH == services.DEFAULT_BATCH
    assert worker.run_worker.__kwdefaults__["batch"] == services.DEFAULT_BATCH
