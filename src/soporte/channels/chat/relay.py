"""Wakes the long-polls of one web process when their chat gets a message.

A long-poll (the widget's ``GET /chat/api/messages``, the console's live conversation) holds a
request thread for up to ``HOLD`` seconds. Rather than each of them querying the database in a
loop, ONE relay thread per process polls it every ``INTERVAL``: "messages with a key above the
last seen, on the tickets someone waits for" (one indexed range read, nothing when nobody
waits), and wakes only the waiters of those tickets. The messages themselves are then read by
the woken request.

A waiter registers before it reads the database (``Waiter`` is a context manager), so a message
committed after its read is seen by the relay and wakes it. Keys are handed out before commit,
so a slow transaction may commit a key below one the relay already passed: the relay reads
again from ``SETTLE`` behind its high mark, skipping keys it has seen; a message that commits
even later is still read by the waiter's next poll (at most ``HOLD`` later), never lost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import close_old_connections, connection
from django.db.models import Max

from soporte.tickets.models import Message

HOLD = 25.0
"""Seconds a long-poll waits for a message before answering empty (under proxies' 30 s)."""
INTERVAL = 0.25
"""Seconds between the relay's reads."""
SETTLE = 200
"""Keys behind the highest seen that the relay reads again (late commits)."""

T = TypeVar("T")


class Relay:
    """The process's relay: ``waiting(ticket)`` gives an event set when ``ticket`` gets a
    message. The thread starts with the first waiter."""

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._waiters: dict[int, set[threading.Event]] = {}
        self._thread: threading.Thread | None = None
        self._high = 0
        self._seen: set[int] = set()
        self.reads = 0
        """How many times the thread read the database (for tests and the bench)."""

    @contextmanager
    def waiting(self, ticket: int) -> Iterator[threading.Event]:
        """An event set when a message for ``ticket`` arrives while the block runs."""
        self._ensure_started()
        event = threading.Event()
        with self._lock:
            self._waiters.setdefault(ticket, set()).add(event)
        try:
            yield event
        finally:
            with self._lock:
                events = self._waiters.get(ticket)
                if events is not None:
                    events.discard(event)
                    if not events:
                        del self._waiters[ticket]

    def _ensure_started(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            # Read the high mark here, before any waiter registers: every message committed
            # after a waiter's own read is above it.
            self._high = Message.objects.aggregate(high=Max("pk"))["high"] or 0
            self._thread = threading.Thread(target=self._run, name="chat-relay", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            try:
                self.poll()
            except Exception:  # a lost connection: drop it and read again next time
                connection.close()

    def poll(self) -> None:
        """One read: wake the waiters of every ticket with a new message."""
        with self._lock:
            tickets = list(self._waiters)
        if not tickets:
            connection.close()  # nobody waits: hold no connection meanwhile (a no-op if none)
            return
        close_old_connections()
        floor = max(0, self._high - SETTLE)
        rows = list(
            Message.objects.filter(pk__gt=floor, ticket_id__in=tickets).values_list(
                "pk", "ticket_id"
            )
        )
        self.reads += 1
        new = [(pk, ticket) for pk, ticket in rows if pk not in self._seen]
        if not new:
            return
        self._seen.update(pk for pk, _ in new)
        self._high = max(self._high, *(pk for pk, _ in new))
        self._seen = {pk for pk in self._seen if pk > self._high - SETTLE}
        with self._lock:
            for _, ticket in new:
                for event in self._waiters.get(ticket, ()):
                    event.set()


RELAY = Relay()
"""This process's relay (gunicorn forks its workers first: each starts its own thread)."""


def wait_for(ticket: int, read: Callable[[], list[T]], *, hold: float = HOLD) -> list[T]:
    """What ``read`` finds, as soon as it finds anything, or ``[]`` after ``hold`` seconds:
    read once, then again each time the relay says ``ticket`` got a message. No database
    connection is held while waiting (a long-poll per open widget would exhaust them)."""
    deadline = time.monotonic() + hold
    with RELAY.waiting(ticket) as event:
        while True:
            found = read()
            remaining = deadline - time.monotonic()
            if found or remaining <= 0:
                return found
            if not connection.in_atomic_block:  # (a test's transaction keeps its connection)
                connection.close()
            event.wait(remaining)
            event.clear()
