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
from soporte.db.prepared import Prepared
from soporte.tickets.models import UNRESOLVED, Message, Ticket

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
class MessageKey:
    """An inbound message's idempotency key (READING.md §9): a channel's or client's id,
    unique within ``scope`` only. ``Message.provider_scope``/``provider_id`` store it, under one
    unique constraint, so a retry never makes a second ticket or message."""

    scope: str
    id: str


class KeyInUse(Exception):
    """The key already opened a ticket its sender may not see (the API answers 409)."""


def message_key(sender: Agent | Contact, value: str) -> MessageKey:
    """``value`` as ``sender`` sent it: a contact's keys belong to their organisation, an
    agent's or integration's to its own account. (A channel keys on its provider's ids with
    a scope of its own, e.g. ``MessageKey("whatsapp:<number>", wamid)``.)"""
    if isinstance(sender, Contact):
        return MessageKey(f"org:{sender.organisation_id}", value)
    return MessageKey(f"agent:{sender.pk}", value)


_KEYED = Prepared(
    lambda scope, id: Message.objects.select_related("ticket").filter(
        provider_scope=scope, provider_id=id
    )[:1],
    "sample-scope",
    "sample-id",
)


def keyed_message(key: MessageKey) -> Message | None:
    """The message stored under ``key``, with its ticket (run on every keyed intake: compiled
    once, ``soporte.db.prepared``)."""
    return _KEYED.first(key.scope, key.id)


def repeated_ticket(user: User, key: MessageKey) -> Ticket | None:
    """The ticket a message with ``key`` already opened, when ``user`` may see it; ``None`` for
    a new key. Raises ``KeyInUse`` (and says nothing of the ticket) when they may not."""
    known = keyed_message(key)
    if known is None:
        return None
    ticket = visible_tickets(user).filter(pk=known.ticket_id).first()
    if ticket is None:
        raise KeyInUse(f"the id {key.id!r} already opened a ticket you may not see")
    return ticket


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
