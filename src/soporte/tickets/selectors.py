"""Reads of tickets, always scoped to what the caller may see (ARCHITECTURE.md rule 6).

A contact sees their organisation's tickets. An agent reads every ticket (one they escalated
stays in reach), and works (queues, changes) the tickets at their tier or below and those
assigned to them; leads, the founder, the CTO and admins work every queue.

Within a ticket, one rule says what a customer may see (:func:`visible_messages`,
:func:`visible_attachments`): public replies, and the files on them or uploaded on their own;
never an internal note or its files. Agents see both. The portal, the API, the attachment
download and the console all read through these.
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
from soporte.db.prepared import Prepared
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import (
    UNRESOLVED,
    Attachment,
    Cc,
    EventKind,
    Message,
    MessageKind,
    Ticket,
    TimelineEvent,
)

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


def sees_internal_notes(user: User) -> bool:
    """Agents read internal notes and their files; customers (and anyone else) never do."""
    return agent_of(user) is not None


def _scope(user: User, ticket: Ticket | None) -> QuerySet[Ticket]:
    """The tickets the caller may see: all of them, or ``ticket`` alone if it is one (a
    subquery narrowed by key, so a lead's "every ticket" is never read whole)."""
    tickets = visible_tickets(user)
    return tickets if ticket is None else tickets.filter(pk=ticket.pk)


def visible_messages(user: User, ticket: Ticket) -> QuerySet[Message]:
    """The messages of ``ticket`` the caller may read, oldest first (none, if the caller may
    not see ``ticket``)."""
    messages = Message.objects.filter(ticket__in=_scope(user, ticket))
    if not sees_internal_notes(user):
        messages = messages.filter(kind=MessageKind.PUBLIC)
    return messages.select_related("author_agent", "author_contact").order_by("created_at", "id")


def _customer_attachments(found: QuerySet[Attachment]) -> QuerySet[Attachment]:
    """The files a customer may open: on a public reply, or uploaded on their own."""
    return found.filter(Q(message__isnull=True) | Q(message__kind=MessageKind.PUBLIC))


def visible_attachments(user: User, ticket: Ticket | None = None) -> QuerySet[Attachment]:
    """The attachments the caller may open (of ``ticket``, or of every ticket they may see),
    oldest first."""
    found = Attachment.objects.filter(ticket__in=_scope(user, ticket))
    if not sees_internal_notes(user):
        found = _customer_attachments(found)
    return found.order_by("created_at", "id")


def intake_of(ticket: Ticket) -> Intake:
    """What the customer gave on ``ticket``: its intake fields, and whether it holds a
    screenshot or recording a customer can see (an internal note's file is not theirs)."""
    has_screenshot = _customer_attachments(Attachment.objects.filter(ticket=ticket)).exists()
    return ticket.intake(has_screenshot=has_screenshot)


def conversation(user: User, ticket: Ticket) -> list[tuple[Message, list[Attachment]]]:
    """The messages the caller may read, each with the files on it they may open."""
    files: dict[int, list[Attachment]] = {}
    for attachment in visible_attachments(user, ticket).filter(message__isnull=False):
        assert attachment.message_id is not None
        files.setdefault(attachment.message_id, []).append(attachment)
    return [(message, files.get(message.pk, [])) for message in visible_messages(user, ticket)]


def timeline(user: User, ticket: Ticket) -> QuerySet[TimelineEvent]:
    """The ticket's timeline, for agents (customers see the conversation, not the workings)."""
    events = TimelineEvent.objects.filter(ticket__in=_scope(user, ticket))
    if agent_of(user) is None:
        return events.none()
    return events.select_related("actor_agent", "actor_contact")


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
    updated_since: datetime | None = None
    """Only tickets whose ``updated_at`` is at or after it."""


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
    """``tickets`` of the severity, plan and channel ``filters`` name, changed since
    ``filters.updated_since`` if given."""
    for field in ("severity", "plan", "channel"):
        value = getattr(filters, field)
        if value:
            tickets = tickets.filter(**{field: value})
    if filters.updated_since is not None:
        tickets = tickets.filter(updated_at__gte=filters.updated_since)
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


def cc_addresses(ticket: Ticket) -> list[str]:
    """The addresses agents copy on the ticket's public emails, in the order they were added."""
    return list(Cc.objects.filter(ticket=ticket).values_list("address", flat=True))
