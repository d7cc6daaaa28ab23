"""Scheduling, cancelling and running jobs.

Guarantees (ARCHITECTURE.md rule 4):

- ``schedule`` and ``cancel`` join the caller's transaction: a timer commits with the data it
  belongs to, and disappears with it on rollback.
- ``run_due`` claims due jobs in one short transaction (``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL; on SQLite the IMMEDIATE transaction holds the write lock), setting a lease. Each
  job then runs in its own transaction: the handler runs, and the job is marked done by an
  update fenced on the claim (``status = 'running'``, same ``locked_by`` and ``attempts``, the
  fencing token); if the claim was taken over meanwhile the update matches nothing and the
  whole transaction, the handler's effect included, rolls back. The handler's effect and the
  completion commit together: a worker killed at any instant either committed both or neither,
  and a crashed worker's claims are taken over once their lease expires.
- A handler that raises has its effect rolled back; the job is retried with exponential backoff
  (``2**attempts`` seconds, capped at 10 minutes, plus up to 25 % jitter) and marked ``failed``
  after ``max_attempts``.
"""

from __future__ import annotations

import enum
import random
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from soporte.db.insert import insert_rows
from soporte.db.prepared import Prepared
from soporte.db.update import update
from soporte.jobs import registry
from soporte.jobs.models import DEFAULT_MAX_ATTEMPTS, Job, created_stamp

log = structlog.get_logger(__name__)

DEFAULT_LEASE = timedelta(seconds=60)
DEFAULT_BATCH = 20
"""Jobs a worker claims at a time. Small on purpose: the claim's cost grows with the rows it
updates (and on SQLite it holds the write lock meanwhile), while a job's own transaction costs
far more than its share of a claim; a burst spreads over every worker instead of queueing
behind one; and a short batch finishes well within its lease."""
MAX_BACKOFF = timedelta(minutes=10)
ERROR_LIMIT = 4000

Status = Job.Status


class Outcome(enum.Enum):
    DONE = "done"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"  # the claim was no longer ours (lease taken over, or released)


@dataclass(frozen=True)
class Claim:
    """A job claimed by a worker; ``attempt`` is the fencing token of this claim.

    ``row`` is the job's row as the claim left it, ``claimed_at`` and ``lease`` the claim's
    clock: while less than half the lease has passed the claim is certainly still ours (only an
    expired lease is taken over), so running it needs no second read of the row.
    """

    job_id: int
    kind: str
    key: str
    attempt: int
    row: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)
    claimed_at: datetime | None = field(default=None, compare=False, repr=False)
    lease: timedelta | None = field(default=None, compare=False, repr=False)

    def job_if_fresh(self, now: datetime) -> Job | None:
        """The claimed job if less than half its lease has passed at ``now``, else ``None``."""
        if self.row is None or self.claimed_at is None or self.lease is None:
            return None
        return _job_of_row(self.row) if now - self.claimed_at < self.lease / 2 else None


_JOB_FIELDS = tuple(f.attname for f in Job._meta.concrete_fields)
_ID, _KIND, _KEY, _DUE_AT, _ATTEMPTS, _URGENT = (
    _JOB_FIELDS.index(name) for name in ("id", "kind", "key", "due_at", "attempts", "urgent")
)
_CONVERTERS: dict[str, list[tuple[int, list[Any], Any]]] = {}


def _job_of_row(row: tuple[Any, ...]) -> Job:
    """The ``Job`` of a row of its columns as the database gave them, converted as the ORM
    converts them (JSON, and SQLite's datetimes and booleans)."""
    converters = _CONVERTERS.get(connection.alias)
    if converters is None:
        compiler = Job.objects.all().query.get_compiler(connection=connection)
        compiler.setup_query()
        found = compiler.get_converters([column for column, _, _ in compiler.select])
        converters = [(pos, list(fns), expression) for pos, (fns, expression) in found.items()]
        _CONVERTERS[connection.alias] = converters
    values = list(row)
    for pos, functions, expression in converters:
        for convert in functions:
            values[pos] = convert(values[pos], expression, connection)
    return Job.from_db(connection.alias, _JOB_FIELDS, values)


# --------------------------------------------------------------------------- scheduling

_NEW_JOB: dict[str, Any] = {
    "payload": {},
    "status": Status.PENDING,
    "attempts": 0,
    "max_attempts": DEFAULT_MAX_ATTEMPTS,
    "urgent": False,
    "lease_until": None,
    "locked_by": "",
    "last_error": "",
    "finished_at": None,
}
"""A new job's columns but its kind, key, due time and creation time."""


def schedule(
    *,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
    max_attempts: int | None = None,
    urgent: bool = False,
) -> Job:
    """Make sure job ``key`` exists: create it, or reschedule it if it is still pending.
    ``max_attempts``: runs before it fails for good (default ``DEFAULT_MAX_ATTEMPTS``);
    ``urgent``: claimed before every job that is not (pages).

    A job that is running, done, failed or cancelled is returned unchanged: an effect happens
    once per key (put a version in the key for a new one). Joins the caller's transaction.
    """
    values = _values(kind, key, due_at, payload, max_attempts, urgent)
    job = _new(key, values)
    if job is not None:
        return job
    job = Job.objects.get(key=key)
    if job.status != Status.PENDING:
        return job  # never lock a running job's row: see run_claimed
    # Conditional: a worker may claim the job between the read and this update.
    if Job.objects.filter(pk=job.pk, status=Status.PENDING).update(**values):
        for field, value in values.items():
            setattr(job, field, value)
    else:
        job.refresh_from_db()
    return job


def schedule_new(
    *, kind: str, key: str, due_at: datetime, payload: dict[str, Any] | None = None
) -> Job | None:
    """Create job ``key`` unless it exists (then ``None``, and the job is left as it is: an
    event stored once however often it is delivered). One statement; joins the caller's
    transaction."""
    return _new(key, _values(kind, key, due_at, payload, None, False))


def _values(
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any] | None,
    max_attempts: int | None,
    urgent: bool,
) -> dict[str, Any]:
    """The columns ``schedule`` sets, checked."""
    _check_aware(due_at, "due_at")
    if not kind:
        raise ValueError("kind: must not be empty")
    if not key:
        raise ValueError("key: must not be empty")
    values: dict[str, Any] = {
        "kind": kind,
        "due_at": due_at,
        "payload": payload or {},
        "urgent": urgent,
    }
    if max_attempts is not None:
        if max_attempts < 1:
            raise ValueError("max_attempts: must be at least 1")
        values["max_attempts"] = max_attempts
    return values


def _new(key: str, values: dict[str, Any]) -> Job | None:
    """Insert job ``key`` with ``values``, or skip it (``None``) when the key is taken: one
    statement, no savepoint (a taken key is skipped by the insert, not an error)."""
    row = {**_NEW_JOB, **values, "key": key, "created_at": created_stamp(Job)}
    created = insert_rows(Job, [row], returning_ids=True, skip_conflicts=True)
    if not created:
        return None
    stored = [*created, *(row[name] for name in _JOB_FIELDS[1:])]  # the key comes first
    return Job.from_db(connection.alias, _JOB_FIELDS, stored)


def cancel(*, key: str, now: datetime) -> bool:
    """Cancel job ``key`` at ``now`` if it is pending; ``True`` if it was. Joins the caller's
    transaction."""
    with transaction.atomic():
        updated = Job.objects.filter(key=key, status=Status.PENDING).update(
            status=Status.CANCELLED, finished_at=now
        )
    return updated > 0


def next_due_at() -> datetime | None:
    """When the next job becomes claimable: the earliest pending ``due_at`` or running lease."""
    pending = Job.objects.filter(status=Status.PENDING).aggregate(at=Min("due_at"))["at"]
    lease = Job.objects.filter(status=Status.RUNNING).aggregate(at=Min("lease_until"))["at"]
    candidates = [at for at in (pending, lease) if at is not None]
    return min(candidates) if candidates else None


# --------------------------------------------------------------------------- running

Now = datetime | Callable[[], datetime]
"""What the runner takes as the time: a fixed instant (tests, a replay), or the clock to read
at each step (the worker loop passes ``timezone.now``: a batch may outlast a lease)."""


def _at(now: Now) -> datetime:
    return now if isinstance(now, datetime) else now()


def run_due(
    *,
    worker: str,
    now: Now,
    limit: int = DEFAULT_BATCH,
    lease: timedelta = DEFAULT_LEASE,
    stop: threading.Event | None = None,
) -> int:
    """Claim up to ``limit`` due jobs and run them; return how many ran (done, retried, failed).

    ``now``: an instant, or the clock each step reads (see ``Now``). If ``stop`` is set while
    the batch runs, the jobs not yet started are released for other workers.
    """
    claims = claim_due(worker=worker, now=now, limit=limit, lease=lease)
    ran = 0
    if not claims:
        return ran
    with registry.in_batch():
        for index, claim in enumerate(claims):
            if stop is not None and stop.is_set():
                release(claims[index:], worker=worker)
                break
            if run_claimed(claim, worker=worker, now=now) is not Outcome.SKIPPED:
                ran += 1
    return ran


def claim_due(
    *,
    worker: str,
    now: Now,
    limit: int = DEFAULT_BATCH,
    lease: timedelta = DEFAULT_LEASE,
) -> list[Claim]:
    """Claim up to ``limit`` claimable jobs, earliest first, in one short transaction.

    Claimable: pending and due, or running with an expired lease (a crashed worker's). The
    claim is one statement, ``_CLAIM_SQL``: it picks the jobs and marks them running, with
    the lease and the attempt, returning what the worker needs to run them.
    """
    if not worker:
        raise ValueError("worker: must not be empty")
    now = _at(now)
    _check_aware(now, "now")
    if limit < 1:
        raise ValueError(f"limit: expected a positive number, got {limit}")
    # A cheap read first, outside any transaction: an idle poll never takes SQLite's write lock.
    due = Q(status=Status.PENDING, due_at__lte=now)
    expired = Q(status=Status.RUNNING, lease_until__lt=now)
    if not (Job.objects.filter(due).exists() or Job.objects.filter(expired).exists()):
        return []
    sql, params = claim_statement(worker=worker, now=now, limit=limit, lease=lease)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # RETURNING comes in no particular order: urgent first, then earliest due, as claimed.
    rows.sort(key=lambda row: (not row[_URGENT], row[_DUE_AT], row[_ID]))
    return [
        Claim(
            job_id=row[_ID],
            kind=row[_KIND],
            key=row[_KEY],
            attempt=row[_ATTEMPTS],
            row=tuple(row),
            claimed_at=now,
            lease=lease,
        )
        for row in rows
    ]


def claim_statement(
    *, worker: str, now: datetime, limit: int, lease: timedelta
) -> tuple[str, dict[str, Any]]:
    """The claim's SQL and parameters for the database in use (also for the bench's plans)."""
    skip_locked = connection.features.has_select_for_update_skip_locked
    at = connection.ops.adapt_datetimefield_value
    params = {
        "running": Status.RUNNING.value,
        "pending": Status.PENDING.value,
        "worker": worker,
        "lease_until": at(now + lease),
        "now": at(now),
        "limit": limit,
        "urgent": True,
    }
    lock = " FOR UPDATE SKIP LOCKED" if skip_locked else ""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Job._meta.concrete_fields)
    return _CLAIM_SQL.format(table=Job._meta.db_table, lock=lock, columns=columns), params


_CLAIM_SQL = """
UPDATE {table}
SET status = %(running)s, locked_by = %(worker)s, lease_until = %(lease_until)s,
    attempts = attempts + 1
WHERE id IN (
    SELECT id FROM (
        SELECT id, due_at, 0 AS later FROM (
            SELECT id, due_at FROM {table}
            WHERE status = %(pending)s AND urgent = %(urgent)s AND due_at <= %(now)s
            ORDER BY due_at, id LIMIT %(limit)s{lock}
        ) urgent
        UNION ALL
        SELECT id, due_at, 1 AS later FROM (
            SELECT id, due_at FROM {table}
            WHERE status = %(pending)s AND due_at <= %(now)s
            ORDER BY due_at, id LIMIT %(limit)s{lock}
        ) due
        UNION ALL
        SELECT id, due_at, 1 AS later FROM (
            SELECT id, due_at FROM {table}
            WHERE status = %(running)s AND lease_until < %(now)s
            ORDER BY lease_until, id LIMIT %(limit)s{lock}
        ) expired
    ) claimable
    ORDER BY later, due_at, id LIMIT %(limit)s
)
RETURNING {columns}
"""
"""The claim, one statement (PostgreSQL and SQLite ≥ 3.35 both have ``UPDATE … RETURNING``).

Urgent jobs (pages: their notifications and their escalation timers) come first, whatever else
is due: a backlog of acknowledgement emails never delays a page. Their arm walks
``jobs_job_urgent`` ``(status, urgent, due_at)``.

Each arm walks its own index and stops after ``limit`` rows: due jobs along ``jobs_job_claim``
``(status, due_at)``, jobs whose lease expired along ``jobs_job_lease`` ``(status,
lease_until)``, longest-expired first (one ``OR`` would make the database read and sort every
pending row). On PostgreSQL each arm locks its rows ``FOR UPDATE SKIP LOCKED``, so concurrent
workers claim disjoint jobs without waiting; SQLite has no row locks, and the claim runs in the
``BEGIN IMMEDIATE`` transaction that holds the database's write lock. The earliest ``limit``
of both arms are claimed: ``attempts`` (the fencing token) goes up by one, the lease is set.
Rows an arm locked but the final ``LIMIT`` left out stay locked only until this transaction
ends. Written as SQL rather than the ORM because the ORM has no ``UPDATE … RETURNING``: the
claim was three statements (two locking reads and the update) and most of its time. It returns
the whole claimed rows (a fresh claim's job is built from its row, converted as the ORM would,
when it runs), so a fresh claim runs without reading its row again.
"""


def release(claims: list[Claim], *, worker: str) -> int:
    """Give back claims that were not run (a stopping worker): pending again, attempt undone."""
    released = 0
    with transaction.atomic():
        for claim in claims:
            released += _ours(claim, worker).update(
                status=Status.PENDING,
                locked_by="",
                lease_until=None,
                attempts=F("attempts") - 1,
            )
    if released:
        log.info("jobs.released", worker=worker, count=released)
    return released


def run_claimed(claim: Claim, *, worker: str, now: Now) -> Outcome:
    """Run one claimed job, if the claim is still ours; see the module docstring.

    The job row is not locked while the handler runs: the completion is a fenced update
    (``WHERE status = 'running' AND locked_by = worker AND attempts = claim.attempt``) at the
    end of the handler's transaction, and the whole transaction rolls back if it matches no
    row. So the job row is always locked *after* the domain rows the handler locks, the same
    order as a web request that locks a clock and then cancels or reschedules its timer: the
    two never deadlock.
    """
    registration = registry.get(claim.kind)
    if registration is not None and not registration.atomic:
        return _run_outside_transaction(claim, registration, worker=worker, now=now)
    try:
        with transaction.atomic():
            when = _at(now)
            job = claim.job_if_fresh(when) or _claimed_job(claim, worker)
            if job is None:
                raise _LostClaim
            if registration is None:
                known = ", ".join(registry.kinds()) or "none"
                error = f"no handler is registered for job kind {claim.kind!r} (known: {known})"
                return _finish_failed(claim, job, error, when, worker=worker, registration=None)
            if job.attempts > job.max_attempts:
                error = f"abandoned: the lease expired on all {job.max_attempts} attempts"
                return _finish_failed(
                    claim, job, error, when, worker=worker, registration=registration
                )
            try:
                with transaction.atomic():  # a savepoint: the handler's effect rolls back alone
                    registration.fn(job, now=when)
            except Exception as exc:
                return _retry_or_fail(claim, job, exc, when, worker=worker, reg=registration)
            _finish_done(claim, when, worker=worker)
            return Outcome.DONE
    except _LostClaim:
        _log_skipped(claim, worker)
        return Outcome.SKIPPED


def _run_outside_transaction(
    claim: Claim, registration: registry.Registration, *, worker: str, now: Now
) -> Outcome:
    """A non-atomic handler: run it with no transaction open, then complete the claim; the
    bookkeeping the handler returns commits with the completion."""
    when = _at(now)
    job = claim.job_if_fresh(when) or _claimed_job(claim, worker)
    if job is None:
        _log_skipped(claim, worker)
        return Outcome.SKIPPED
    error: Exception | None = None
    bookkeeping: Callable[[], None] | None = None
    if job.attempts > job.max_attempts:
        error = RuntimeError(f"abandoned: the lease expired on all {job.max_attempts} attempts")
    else:
        try:
            bookkeeping = registration.fn(job, now=when)
        except Exception as exc:
            error = exc
    try:
        with transaction.atomic():
            when = _at(now)
            if error is not None:
                return _retry_or_fail(claim, job, error, when, worker=worker, reg=registration)
            if bookkeeping is not None:
                bookkeeping()
            _finish_done(claim, when, worker=worker)
            return Outcome.DONE
    except _LostClaim:
        if bookkeeping is not None:  # the effect happened: record it even so
            with transaction.atomic():
                bookkeeping()
        _log_skipped(claim, worker)
        return Outcome.SKIPPED


class _LostClaim(Exception):
    """The claim is no longer this worker's: roll back whatever was done under it."""


def _ours(claim: Claim, worker: str) -> Any:
    return Job.objects.filter(
        pk=claim.job_id, status=Status.RUNNING, locked_by=worker, attempts=claim.attempt
    )


_CLAIMED = Prepared(
    lambda pk, worker, attempt: Job.objects.filter(
        pk=pk, status=Status.RUNNING, locked_by=worker, attempts=attempt
    )[:1],
    1,
    "sample-worker",
    7_777,
)


def _claimed_job(claim: Claim, worker: str) -> Job | None:
    """The job row, if the claim is still ours (``_ours``, in one prepared statement)."""
    return _CLAIMED.first(claim.job_id, worker, claim.attempt)


def _fenced_update(claim: Claim, worker: str, **values: Any) -> None:
    fence = {"status": Status.RUNNING, "locked_by": worker, "attempts": claim.attempt}
    if not update(Job, claim.job_id, where=fence, **values):
        raise _LostClaim


def _finish_done(claim: Claim, now: datetime, *, worker: str) -> None:
    _fenced_update(
        claim, worker, status=Status.DONE, finished_at=now, lease_until=None, last_error=""
    )


def _retry_or_fail(
    claim: Claim,
    job: Job,
    exc: BaseException,
    now: datetime,
    *,
    worker: str,
    reg: registry.Registration,
) -> Outcome:
    error = _describe(exc)
    if job.attempts >= job.max_attempts:
        return _finish_failed(claim, job, error, now, worker=worker, registration=reg)
    delay = backoff(job.attempts)
    _fenced_update(
        claim,
        worker,
        status=Status.PENDING,
        due_at=now + delay,
        lease_until=None,
        locked_by="",
        last_error=error,
    )
    log.warning(
        "jobs.retry",
        kind=job.kind,
        key=job.key,
        attempt=job.attempts,
        retry_in=round(delay.total_seconds(), 3),
        error=error.splitlines()[0],
    )
    return Outcome.RETRY


def _finish_failed(
    claim: Claim,
    job: Job,
    error: str,
    now: datetime,
    *,
    worker: str,
    registration: registry.Registration | None,
) -> Outcome:
    _fenced_update(
        claim,
        worker,
        status=Status.FAILED,
        finished_at=now,
        lease_until=None,
        last_error=error[:ERROR_LIMIT],
    )
    log.error(
        "jobs.failed",
        kind=job.kind,
        key=job.key,
        attempts=job.attempts,
        error=error.splitlines()[0] if error else "",
    )
    if registration is not None and registration.on_failed is not None:
        job.status = Status.FAILED
        job.last_error = error[:ERROR_LIMIT]
        try:
            with transaction.atomic():
                registration.on_failed(job, now=now)
        except Exception:  # the failure itself must stick; the hook's error is logged
            log.exception("jobs.on_failed_error", kind=job.kind, key=job.key)
    return Outcome.FAILED


def backoff(attempts: int) -> timedelta:
    """Delay before the next attempt: ``2**attempts`` s, capped at 10 min, plus ≤ 25 % jitter."""
    base = min(2.0 ** max(attempts, 0), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=base * (1 + random.random() / 4))  # jitter, not a secret


def _describe(exc: BaseException) -> str:
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    tb = "".join(traceback.format_tb(exc.__traceback__)[-3:])
    return f"{text}\n{tb}"[:ERROR_LIMIT]


def _log_skipped(claim: Claim, worker: str) -> None:
    log.warning(
        "jobs.claim_lost", kind=claim.kind, key=claim.key, attempt=claim.attempt, worker=worker
    )


def _check_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise ValueError(f"{name}: expected an aware datetime, got {value!r}")
