"""One page of a queue, read along the queue indexes so it stays fast with millions of tickets.

``tickets.selectors.queue`` orders by ``next_due_at`` (nulls last), then ``opened_at`` and ``id``,
over several statuses (and, for "all queues", several tiers). A database cannot read that order
from the ``ticket_queue`` index ``(tier, status, next_due_at)`` when the query spans several
statuses or tiers: it sorts every unresolved ticket of the queue to return fifty. So a page is
read as one small query per (tier, status) (per status for "mine", along ``ticket_mine``), each
walking its index range in order and stopping after ``offset + limit`` rows; the parts are merged
in Python. The result is exactly the selector's order (a test checks it page by page). Every part
is the selector's own queryset, so visibility rules stay in one place.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from soporte.accounts.models import TIERS
from soporte.tickets.models import UNRESOLVED, Ticket
from soporte.tickets.selectors import QueueFilter, queue

Narrow = Callable[[QuerySet[Ticket]], QuerySet[Ticket]]


def _identity(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets


def _due_key(ticket: Ticket) -> tuple[datetime, datetime, int]:
    assert ticket.next_due_at is not None
    return (ticket.next_due_at, ticket.opened_at, ticket.pk)


def _opened_key(ticket: Ticket) -> tuple[datetime, int]:
    return (ticket.opened_at, ticket.pk)


def parts(filters: QueueFilter) -> list[QueueFilter]:
    """The single-status (and, unless "mine", single-tier) slices of a queue."""
    statuses = [filters.status] if filters.status else [str(s) for s in UNRESOLVED]
    tiers: list[str | None] = (
        [None] if filters.mine else ([filters.tier] if filters.tier else [str(t) for t in TIERS])
    )
    return [replace(filters, tier=tier, status=status) for tier in tiers for status in statuses]


def queue_window(
    user: AbstractBaseUser | AnonymousUser,
    filters: QueueFilter,
    *,
    offset: int,
    limit: int,
    narrow: Narrow = _identity,
) -> list[Ticket]:
    """Rows ``offset`` to ``offset + limit`` of ``queue(user, filters)`` narrowed by ``narrow``."""
    need = offset + limit
    slices = [narrow(queue(user, part)) for part in parts(filters)]
    due = _merge(
        (
            s.filter(next_due_at__isnull=False).order_by("next_due_at", "opened_at", "id")[:need]
            for s in slices
        ),
        _due_key,
    )
    if len(due) >= need:
        return due[offset:need]
    # Every slice returned all its tickets with a running clock: the rest come from those
    # without one, oldest first (the selector's "nulls last").
    rest = _merge(
        (
            s.filter(next_due_at__isnull=True).order_by("opened_at", "id")[: need - len(due)]
            for s in slices
        ),
        _opened_key,
    )
    return (due + rest)[offset:need]


def _merge(slices: Iterable[QuerySet[Ticket]], key: Callable[[Ticket], Any]) -> list[Ticket]:
    return list(heapq.merge(*(list(s) for s in slices), key=key))
