"""Reads of tickets, always scoped to what the caller may see (ARCHITECTURE.md rule 6).

A contact sees their organisation's tickets. An agent sees the tickets at their tier or below
and those assigned to them; leads, the founder, the CTO and admins see every queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet

from soporte.accounts.models import Agent, Contact
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
