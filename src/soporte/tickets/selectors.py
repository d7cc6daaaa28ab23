"""Reads of tickets, always scoped to what the caller may see (ARCHITECTURE.md rule 6).

A contact sees their organisation's tickets. An agent reads every ticket (one they escalated
stays in reach), and works (queues, changes) the tickets at their tier or below and those
assigned to them; leads, the founder, the CTO and admins work every queue.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from soporte.accounts.models import TIERS, Agent, Contact
from soporte.tickets.models import UNRESOLVED, EventKind, Ticket, TimelineEvent

User = AbstractBaseUser | AnonymousUser


def contact_of(user: User) -> Contact | None:
    return getattr(user, "contact", None) if user.is_authenticated else None


def agent_of(user: User) -> Agent | None:
    return getattr(user, "agent", None) if user.is_authenticated else None


def visible_tickets(user: User) -> QuerySet[Ticket]:
    """The tickets the caller may read: every one for an agent, their organisation's for a
    contact."""
    tickets = Ticket.objects.select_related("organisation", "requester", "assignee")
    if agent_of(user) is not None:
        return tickets
    contact = contact_of(user)
    if contact is not None:
        return tickets.filter(organisation_id=contact.organisation_id)
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return tickets
    return tickets.none()


def workable_tickets(user: User) -> QuerySet[Ticket]:
    """The tickets the caller may work (queue, change, answer): for an agent, those at their
    tier or below and those assigned to them (every one for leads); for a contact, those they
    may read."""
    tickets = visible_tickets(user)
    agent = agent_of(user)
    if agent is None or agent.sees_every_queue:
        return tickets
    return tickets.filter(Q(tier__lte=agent.tier) | Q(assignee=agent))


def may_work(user: User, ticket: Ticket) -> bool:
    """``ticket`` (one the caller may read) is among ``workable_tickets(user)``."""
    agent = agent_of(user)
    if agent is None or agent.sees_every_queue:
        return True
    return ticket.tier <= agent.tier or ticket.assignee_id == agent.pk


WORKED_ON = (EventKind.REPLIED, EventKind.NOTED, EventKind.ESCALATED)
"""What an agent does on a ticket that makes them one who took part (besides being assigned)."""


def participated(user: User, filters: QueueFilter | None = None) -> QuerySet[Ticket]:
    """The tickets the calling agent took part in (replied, wrote a note, escalated, was
    assigned), whatever their tier now and, unless ``filters`` name one, their status; the
    latest part first."""
    agent = agent_of(user)
    if agent is None:
        return Ticket.objects.none()
    parts = TimelineEvent.objects.filter(
        Q(actor_agent=agent, kind__in=WORKED_ON)
        | Q(kind=EventKind.ASSIGNED, data__assignee=agent.pk)
    )
    latest = parts.filter(ticket=OuterRef("pk")).order_by("-at").values("at")[:1]
    tickets = visible_tickets(user).filter(pk__in=parts.values("ticket"))
    if filters is not None:
        tickets = _matching(tickets, filters)
        if filters.status:
            tickets = tickets.filter(status=filters.status)
    return tickets.annotate(took_part_at=Subquery(latest)).order_by("-took_part_at", "-id")


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
    tickets = workable_tickets(user)
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
    tickets = _matching(tickets, filters)
    return tickets.order_by(F("next_due_at").asc(nulls_last=True), "opened_at", "id")


def _matching(tickets: QuerySet[Ticket], filters: QueueFilter) -> QuerySet[Ticket]:
    """``tickets`` of the severity, plan and channel ``filters`` name."""
    for field in ("severity", "plan", "channel"):
        value = getattr(filters, field)
        if value:
            tickets = tickets.filter(**{field: value})
    return tickets


Narrow = Callable[[QuerySet[Ticket]], QuerySet[Ticket]]

DueKey = tuple[datetime, datetime, int]
OpenedKey = tuple[datetime, int]


def _identity(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets


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
    "all queues", several tiers), an order a database cannot read from one index range: it
    would sort every unresolved ticket of the queue to return fifty. So the page's keys come
    from one small query per (tier, status) (per status for "mine", along ``ticket_mine``),
    each walking the ``ticket_queue`` index ``(tier, status, next_due_at, opened_at, id)`` in
    order and stopping after ``offset + limit`` keys, merged in Python: exactly ``queue``'s
    order. Those queries read the sort keys alone; the page's ``limit`` tickets are then read
    by primary key in one query (``narrow`` applies to both, so its ``select_related`` shapes
    the rows returned). Every part is ``queue``'s own queryset, so the visibility rules stay in
    one place. A ticket that leaves the caller's view between the two reads is left out.
    """
    need = offset + limit
    slices = [narrow(queue(user, part)) for part in queue_parts(filters)]
    due: list[DueKey] = _merge(
        s.filter(next_due_at__isnull=False)
        .order_by("next_due_at", "opened_at", "id")
        .values_list("next_due_at", "opened_at", "id")[:need]
        for s in slices
    )
    keys = [key[-1] for key in due[offset:need]]
    if len(due) < need:
        # Every slice returned all its tickets with a running clock: the rest come from those
        # without one, oldest first (the selector's "nulls last").
        rest: list[OpenedKey] = _merge(
            s.filter(next_due_at__isnull=True)
            .order_by("opened_at", "id")
            .values_list("opened_at", "id")[: need - len(due)]
            for s in slices
        )
        keys += [key[-1] for key in rest[max(0, offset - len(due)) : need - len(due)]]
    if not keys:
        return []
    rows = narrow(visible_tickets(user)).in_bulk(keys)
    return [rows[pk] for pk in keys if pk in rows]


def _merge(slices: Iterable[QuerySet[Any]]) -> list[Any]:
    """Merge key tuples that each slice returns in ascending order."""
    return list(heapq.merge(*(list(s) for s in slices)))
