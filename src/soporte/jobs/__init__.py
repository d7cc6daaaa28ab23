"""Durable jobs and timers, the outbox and the worker that runs them.

A timer is a :class:`~soporte.jobs.models.Job` row with a ``due_at``; a worker claims due rows
(``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, an IMMEDIATE transaction on SQLite), runs
the registered handler and marks the row done in the same transaction as the handler's effect.
See ``docs/jobs.md``.
"""
