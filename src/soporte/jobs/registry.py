"""Job handlers by kind.

An app registers its handlers at start-up, in its ``AppConfig.ready()``, by importing the
module that holds them::

    from soporte.jobs.registry import handler

    @handler("sla.breach")
    def breach(job: Job, *, now: datetime) -> None:
        ...

A handler runs inside the transaction that marks the job done (``atomic=True``, the default):
its database writes and the job's completion commit together or not at all. It must lock and
re-check the state it acts on (``select_for_update``: the ticket may have been answered since
the timer was set), must not call external services (use the outbox), and raises to have the
job retried with backoff. A job that is running is never rescheduled or cancelled, so the
re-check is what makes a late timer harmless.

``atomic=False`` is for handlers whose effect is outside the database (the outbox delivery):
they run with no transaction open, so a slow network call never holds the SQLite write lock;
they must be idempotent themselves (see :mod:`soporte.jobs.outbox`). Such a handler may return
its bookkeeping (a callable recording what it did): it runs in the transaction that marks the
job done, so the record and the completion are one commit.

``on_failed(job, now=...)``, if given, runs inside the transaction that marks the job
``failed`` after its last attempt (for a fallback or an alert), at the worker's ``now``.

``@at_start`` registers ``fn(now=...)``, run once when a worker starts (a periodic job making
sure it is scheduled: the IMAP poll).

``@batch_scope`` registers a context manager entered around each batch a worker runs, for what
the batch's jobs may share (the outbox: one SMTP connection for the batch's emails).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from soporte.jobs.models import Job


class Handler(Protocol):
    def __call__(self, job: Job, *, now: datetime) -> Callable[[], None] | None: ...


class FailedHook(Protocol):
    def __call__(self, job: Job, *, now: datetime) -> None: ...


@dataclass(frozen=True)
class Registration:
    kind: str
    fn: Handler
    atomic: bool = True
    on_failed: FailedHook | None = None


_HANDLERS: dict[str, Registration] = {}


def handler(
    kind: str, *, atomic: bool = True, on_failed: FailedHook | None = None
) -> Callable[[Handler], Handler]:
    """Register ``fn(job, *, now) -> None`` as the handler of jobs of ``kind``."""
    if not kind or len(kind) > 100:
        raise ValueError(f"handler kind must be 1-100 characters, got {kind!r}")

    def register(fn: Handler) -> Handler:
        existing = _HANDLERS.get(kind)
        if existing is not None and _name(existing.fn) != _name(fn):
            raise ImproperlyConfigured(
                f"job kind {kind!r} has two handlers: {_name(existing.fn)} and {_name(fn)}"
            )
        _HANDLERS[kind] = Registration(kind=kind, fn=fn, atomic=atomic, on_failed=on_failed)
        return fn

    return register


BatchScope = Callable[[], AbstractContextManager[None]]
_BATCH_SCOPES: list[BatchScope] = []


def batch_scope(scope: BatchScope) -> BatchScope:
    """Register ``scope()``, a context manager entered around every batch of jobs a worker runs."""
    if scope not in _BATCH_SCOPES:
        _BATCH_SCOPES.append(scope)
    return scope


@contextmanager
def in_batch() -> Iterator[None]:
    """Enter every registered batch scope (in registration order) for the duration of a batch."""
    with ExitStack() as stack:
        for scope in _BATCH_SCOPES:
            stack.enter_context(scope())
        yield


class StartHook(Protocol):
    def __call__(self, *, now: datetime) -> object: ...


_START_HOOKS: list[StartHook] = []


def at_start(hook: StartHook) -> StartHook:
    """Register ``hook(now=...)``, run when a worker starts, before its first batch."""
    if hook not in _START_HOOKS:
        _START_HOOKS.append(hook)
    return hook


def start(*, now: datetime) -> None:
    """Run every registered start hook (in registration order) at ``now``."""
    for hook in _START_HOOKS:
        hook(now=now)


def get(kind: str) -> Registration | None:
    return _HANDLERS.get(kind)


def kinds() -> list[str]:
    return sorted(_HANDLERS)


def _name(fn: object) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"
