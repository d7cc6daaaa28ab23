"""The periodic IMAP poll as a job, so that ``soporte worker`` (and ``soporte serve``'s embedded
worker) polls ``SOPORTE_IMAP_URL`` without a second process.

The polls form one chain of jobs keyed ``mail.poll:1``, ``mail.poll:2``…: each poll schedules
the next, ``SOPORTE_IMAP_POLL_SECONDS`` later (at once when it stopped at its batch limit), in
the transaction that marks it done, or, after its last failed attempt, in the one that marks it
failed. A worker starting makes sure the chain exists (:func:`ensure_polling`): a chain whose
newest job is still pending or running is left alone, so there is always exactly one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from soporte.channels.email import imap
from soporte.jobs import services as jobs
from soporte.jobs.models import Job
from soporte.jobs.registry import at_start, handler

log = structlog.get_logger(__name__)

POLL = "mail.poll"
BATCH = 50
"""Messages one poll files: a short job stays well within the worker's lease."""


def _schedule(seq: int, *, due_at: datetime) -> Job:
    return jobs.schedule(kind=POLL, key=f"{POLL}:{seq}", due_at=due_at, payload={"seq": seq})


def _next(job: Job, *, now: datetime, soon: bool = False) -> Job:
    every = timedelta(seconds=settings.SOPORTE_IMAP_POLL_SECONDS)
    return _schedule(int(job.payload["seq"]) + 1, due_at=now if soon else now + every)


@at_start
def ensure_polling(*, now: datetime) -> Job | None:
    """Schedule a poll at ``now`` unless one is pending or running, when a mailbox is set."""
    try:
        if imap.configured() is None:
            return None
    except ImproperlyConfigured as exc:
        log.error("imap.misconfigured", error=str(exc))  # the other jobs still run
        return None
    newest = Job.objects.filter(kind=POLL).order_by("-id").first()
    if newest is None:
        return _schedule(1, due_at=now)
    if newest.status in (Job.Status.PENDING, Job.Status.RUNNING):
        return newest
    return _next(newest, now=now, soon=True)


def _failed(job: Job, *, now: datetime) -> None:
    _next(job, now=now)  # the mailbox may be back by then


@handler(POLL, atomic=False, on_failed=_failed)
def poll(job: Job, *, now: datetime) -> Callable[[], None] | None:
    """File up to :data:`BATCH` new messages, then schedule the next poll (none once
    ``SOPORTE_IMAP_URL`` is unset). Raises, to be retried with backoff, when the mailbox
    cannot be reached."""
    mailbox = imap.configured()
    if mailbox is None:
        return None
    polled = imap.poll_once(mailbox, now=now, limit=BATCH)

    def then() -> None:
        _next(job, now=now, soon=len(polled) >= BATCH)

    return then
