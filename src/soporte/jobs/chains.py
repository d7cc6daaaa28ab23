"""Weekly chains: one job per week of a kind, keyed ``<kind>:<week>`` with the week in its
payload; each run schedules the next week's in the transaction that marks it done (the Monday
digest, the pinned FAQs' count). The chain's keys make it idempotent: two ways of starting it
meet on the same job.

:func:`ensure` keeps a chain going: called when a worker starts (``registry.at_start``) and
when what the chain needs first appears (a lead, a ticket), so it does not wait for the next
worker start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from soporte.db.prepared import Prepared
from soporte.jobs import services as jobs
from soporte.jobs.models import Job

_BY_KEY = Prepared(lambda key: Job.objects.filter(key=key)[:1], "sample:key")
"""Asked at every ticket opening (compiled once, ``soporte.db.prepared``)."""


def schedule(kind: str, week: str, *, due_at: datetime) -> Job:
    """Make sure ``week``'s job of chain ``kind`` is scheduled, due at ``due_at``."""
    return jobs.schedule(kind=kind, key=f"{kind}:{week}", due_at=due_at, payload={"week": week})


def ensure(kind: str, *, week: str, due_at: datetime, ready: Callable[[], bool]) -> Job | None:
    """Chain ``kind``'s job: the one of ``week`` (the next due, at ``due_at``) if it exists
    (one lookup by key), else the chain's pending or running job, else, once ``ready()``,
    ``week``'s, scheduled now. None while the chain is not ready to start."""
    following = _BY_KEY.first(f"{kind}:{week}")
    if following is not None:
        return following
    waiting = Job.objects.filter(kind=kind, status__in=(Job.Status.PENDING, Job.Status.RUNNING))
    found = waiting.first()
    if found is not None or not ready():
        return found
    return schedule(kind, week, due_at=due_at)
