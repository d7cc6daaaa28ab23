"""Reads of tickets, always scoped to what the caller may see (ARCHITECTURE.md rule 6).

A contact sees their organisation's tickets. An agent sees the tickets at their tier or below
and those assigned to them; leads, the founder, the CTO and admins see every queue.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet

from soporte.accounts.models import TIERS, Agent, Contact
from soporte.tickets.models import UNRESOLVED, Ticket

User = AbstractBaseUser | AnonymousUser


def contact_of(user: User) -> Contact | None:
    return getattr(user, "contact", None) if user.is_authenticated else None


def agent_of(user: User) -> Agent | None:
    return getattr(user, "agent", None) if user.is_authenticated else None


def visible_tickets(user: User) -> QuerySet[Ticket]:
    tickets = Ticket.objects.select_related("organisation", "requester", "assignee")
    agent = agent_of(user)
    if agent is not None:
        if agent.sees_every_queue:
            return tickets
        return tickets.filter(Q(tier__lte=agent.tier) | Q(assignee=agent))
    contact = contact_of(user)
    if contact is not None:
        return tickets.filter(organisation_id=contact.organisation_id)
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return tickets
    return tickets.none()


@dataclass(frozen=True, slots=True)
class QueueFilter:
    tier: str | None = None
    mine: bool = False
    severity: str | None = None
    plan: str | None = None
    channel: str | None = None
    status: str | None = None
    """None: every unresolved status."""


def queue(user: User, filters: QueueFilter) -> QuerySet[Ticket]:
    """The caller's view of a queue, earliest due clock first (no running clock: last)."""
    tickets = visible_tickets(user)
    agent = agent_of(user)
    if filters.mine:
        tickets = tickets.filter(assignee=agent) if agent else tickets.none()
    if filters.tier:
        tickets = tickets.filter(tier=filters.tier)
    tickets = (
        tickets.filter(status=filters.status)
        if filters.status
        else tickets.filter(status__in=UNRESOLVED)
    )
    for field in ("severity", "plan", "channel"):
        value = getattr(filters, field)
        if value:
            tickets = tickets.filter(**{field: value})
    return tickets.order_by(F("next_due_at").asc(nulls_last=True), "opened_at", "id")


Narrow = Callable[[QuerySet[Ticket]], QuerySet[Ticket]]


def _identity(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets


def _due_key(ticket: Ticket) -> tuple[datetime, datetime, int]:
    assert ticket.next_due_at is not None
    return (ticket.next_due_at, ticket.opened_at, ticket.pk)


def _opened_key(ticket: Ticket) -> tuple[datetime, int]:
    return (ticket.opened_at, ticket.pk)


def queue_parts(filters: QueueFilter) -> list[QueueFilter]:
    """The single-status (and, unless "mine", single-tier) slices of a queue."""
    statuses = [filters.status] if filters.status else [str(s) for s in UNRESOLVED]
    tiers: list[str | None] = (
        [None] if filters.mine else ([filters.tier] if filters.tier else [str(t) for t in TIERS])
    )
    return [replace(filters, tier=tier, status=status) for tier in tiers for status in statuses]


def queue_page(
    user: User,
    filters: QueueFilter,
    *,
    offset: int,
    limit: int,
    narrow: Narrow = _identity,
) -> list[Ticket]:
    """Rows ``offset`` to ``offset + limit`` of ``queue(user, filters)`` narrowed by ``narrow``.

    Read along the queue indexes so it stays fast with millions of tickets: ``queue`` orders by
    ``next_due_at`` (nulls last), then ``opened_at`` and ``id``, over several statuses (and, for
    "all queues", several tiers), an order a database cannot read from the ``ticket_queue``
    index ``(tier, status, next_due_at)``: it would sort every unresolved ticket of the queue to
    return fifty. So a page is one small query per (tier, status) (per status for "mine", along
    ``ticket_mine``), each walking its index range in order and stopping after
    ``offset + limit`` rows, merged in Python: exactly ``queue``'s order. Every part is
    ``queue``'s own queryset, so the visibility rules stay in one place.
    """
    need = offset + limit
    slices = [narrow(queue(user, part)) for part in queue_parts(filters)]
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
