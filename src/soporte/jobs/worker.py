"""The worker loop: run due jobs, sleep until the next one, survive database restarts."""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta

import structlog
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone

from soporte.jobs import registry, services

log = structlog.get_logger(__name__)

MAX_ERROR_BACKOFF = 10.0


def default_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def run_worker(
    *,
    name: str,
    stop_event: threading.Event,
    poll_interval: float = 0.25,
    batch: int = services.DEFAULT_BATCH,
    lease: timedelta = services.DEFAULT_LEASE,
    once: bool = False,
    parent_pid: int | None = None,
) -> int:
    """Run due jobs until ``stop_event`` is set (or, with ``once``, until none is due).

    Sleeps ``min(poll_interval, time until the next due job)`` when idle. Database errors
    (a restart, a lost connection) are logged, the connections closed and the loop retried
    with backoff. With ``parent_pid``, stops when that process is gone (the embedded worker of
    ``soporte serve``). Returns the number of jobs run.
    """
    total = 0
    failures = 0
    started = False
    log.info("worker.started", worker=name, batch=batch, lease=lease.total_seconds())
    while not stop_event.is_set():
        if parent_pid is not None and os.getppid() != parent_pid:
            log.warning("worker.parent_gone", worker=name, parent=parent_pid)
            break
        close_old_connections()
        try:
            if not started:  # in the loop: a database still starting up is waited for
                registry.start(now=timezone.now())
                started = True
            ran = services.run_due(
                worker=name, now=timezone.now, limit=batch, lease=lease, stop=stop_event
            )
            total += ran
            failures = 0
            if ran:
                continue  # there may be more due right now
            if once:
                break
            wait = _idle_wait(poll_interval)
        except (OperationalError, InterfaceError) as exc:
            failures += 1
            wait = min(poll_interval * 2**failures, MAX_ERROR_BACKOFF)
            log.warning("worker.database_error", worker=name, error=str(exc), retry_in=wait)
            _close_all()
            if once and failures > 3:
                raise
        stop_event.wait(wait)
    log.info("worker.stopped", worker=name, ran=total)
    _close_all()
    return total


def _idle_wait(poll_interval: float) -> float:
    upcoming = services.next_due_at()
    if upcoming is None:
        return poll_interval
    return max(0.0, min(poll_interval, (upcoming - timezone.now()).total_seconds()))


def _close_all() -> None:
    try:
        connections.close_all()
    except Exception:  # closing a connection to a database that is gone may itself fail
        log.debug("worker.close_failed", exc_info=True)
