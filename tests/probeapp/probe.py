"""The ``probe`` handler: a job whose effect is one :class:`ProbeEffect` row.

Used by the tests that prove effects happen exactly once (several worker processes, one
killed mid-batch); real ``soporte worker`` processes run it with the test settings. Payload
options:

- ``sleep`` (seconds): pause inside the transaction after writing the effect, to widen the
  window in which a worker can be killed mid-job;
- ``fail_times`` (n): raise after writing the effect on the first ``n`` attempts (the effect
  must be rolled back each time).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from probeapp.models import ProbeEffect
from soporte.jobs.models import Job
from soporte.jobs.registry import handler

KIND = "probe"


class ProbeFailure(RuntimeError):
    """The failure a probe job was asked to raise."""


@handler(KIND)
def probe(job: Job, *, now: datetime) -> None:
    ProbeEffect.objects.create(key=job.key, worker=job.locked_by, attempt=job.attempts)
    payload: dict[str, Any] = job.payload or {}
    if payload.get("sleep"):
        time.sleep(float(payload["sleep"]))
    if job.attempts <= int(payload.get("fail_times", 0)):
        raise ProbeFailure(f"probe {job.key} asked to fail on attempt {job.attempts}")


def seed(keys: Iterable[str], *, due_at: datetime, payload: dict[str, Any] | None = None) -> int:
    """Create one pending probe job per key, due at ``due_at``, in one transaction."""
    jobs = [Job(kind=KIND, key=key, due_at=due_at, payload=dict(payload or {})) for key in keys]
    with transaction.atomic():
        Job.objects.bulk_create(jobs, batch_size=500)
    return len(jobs)
