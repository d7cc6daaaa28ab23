"""Helpers of the notifier tests: a routing key, and running the outbox on an explicit clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

ROUTING_KEY = "0123456789abcdef0123456789abcdef"


class Worker:
    """Runs due jobs with ``soporte.jobs.services.run_due`` at explicit instants."""

    def __init__(self) -> None:
        # enqueue() makes delivery jobs due at the real now: start the clock past it.
        self.now = datetime.now(UTC) + timedelta(seconds=1)

    def run(self, at: datetime | None = None) -> int:
        """Run what is due at ``now``, never behind the real clock: what a request enqueued
        just now is due (a cold first request may take longer than the second of margin);
        nor behind ``at``, when a request was made at a travelled instant (the real clock may
        be years behind it: SOPORTE_TEST_CLOCK_SHIFT)."""
        from soporte.jobs import services

        self.now = max(self.now, datetime.now(UTC), at or self.now)
        return services.run_due(worker="test-worker", now=self.now)

    def run_next(self) -> int:
        """Move the clock to the next due job (if later) and run what is due then."""
        from soporte.jobs import services

        upcoming = services.next_due_at()
        if upcoming is None:
            return 0
        self.now = max(self.now, upcoming)
        return self.run()

    def later(self, **delta: float) -> int:
        self.now += timedelta(**delta)
        return self.run()
