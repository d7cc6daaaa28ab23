"""Reads of the feedback loop, scoped to what the caller may see (ARCHITECTURE.md rule 6).

Recurrences and suggestions are the support team's: agents read them, customers never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from soporte.accounts.models import Agent
from soporte.feedback import similarity
from soporte.feedback.domain import ranking, wording
from soporte.feedback.models import Recurrence, RecurrenceMember, TicketWording
from soporte.tickets.models import Message, Ticket
from soporte.tickets.selectors import User, agent_of, visible_tickets


@dataclass(frozen=True, slots=True)
class Similar:
    """An earlier ticket that may be the same problem, and how alike they read (0 to 1)."""

    ticket: Ticket
    score: float


def similar_tickets(user: User, ticket: Ticket, *, limit: int, now: datetime) -> list[Similar]:
    """The earlier tickets (opened in the 180 days before ``now``, before ``ticket``) most
    likely to be the same problem as ``ticket``, best first, among those the caller may see;
    none for a caller who is not an agent."""
    if agent_of(user) is None or limit < 1:
        return []
    entry = _wording(ticket)
    found = similarity.candidates(
        similarity.stems_of(entry),
        before=(ticket.opened_at, ticket.pk),
        since=now - wording.WINDOW,
    )
    ranked = ranking.rank(entry.words, found, limit=limit)
    tickets = visible_tickets(user).in_bulk([s.number for s in ranked])
    return [Similar(tickets[s.number], s.score) for s in ranked if s.number in tickets]


def _wording(ticket: Ticket) -> TicketWording:
    """The ticket's index entry (built on the spot for a ticket the index does not hold)."""
    stored = TicketWording.objects.filter(ticket=ticket).first()
    if stored is not None:
        return stored
    first = Message.objects.filter(ticket=ticket).order_by("created_at", "id").first()
    body = first.body if first is not None else ""
    return TicketWording(ticket=ticket, **similarity.entry(ticket.subject, body, ticket.opened_at))


def _recurrences(user: User) -> QuerySet[Recurrence]:
    if agent_of(user) is None:
        return Recurrence.objects.none()
    members = RecurrenceMember.objects.select_related("ticket__organisation", "linked_by")
    return Recurrence.objects.select_related("created_by", "disposed_by").prefetch_related(
        Prefetch("members", queryset=members)
    )


def recurrence(user: User, pk: int) -> Recurrence | None:
    """Recurrence ``pk`` with its tickets, if the caller may see it."""
    return _recurrences(user).filter(pk=pk).first()


def recurrence_of(user: User, ticket: Ticket) -> Recurrence | None:
    """The recurrence ``ticket`` belongs to, if any and the caller may see it."""
    return _recurrences(user).filter(members__ticket=ticket).first()


def open_recurrences(user: User) -> QuerySet[Recurrence]:
    """The recurrences still waiting for a disposition, oldest first."""
    return _recurrences(user).filter(disposition="").order_by("created_at", "id")


def recurrence_dispositions_due(user: User, *, until: datetime) -> QuerySet[Recurrence]:
    """What the weekly review lists: the recurrences linked before ``until`` (the review's
    end) that still have no disposition, oldest first."""
    return open_recurrences(user).filter(created_at__lt=until)


def may_dispose(agent: Agent, found: Recurrence) -> bool:
    """Who sets a recurrence's disposition: leads, the founder, the CTO and admins, and the
    agents who linked one of its tickets."""
    if agent.sees_every_queue:
        return True
    return found.created_by_id == agent.pk or any(
        m.linked_by_id == agent.pk for m in found.members.all()
    )


SUGGESTIONS = 5
"""How many similar tickets the ticket page shows."""


def ticket_panel(user: User, ticket: Ticket, *, now: datetime) -> dict[str, object]:
    """What the console's ticket page shows of this app: the earlier tickets most likely to be
    the same problem (``similar``) and the ticket's recurrence, if any (``recurrence``)."""
    found = recurrence_of(user, ticket)
    linked = {m.ticket_id for m in found.members.all()} if found is not None else set()
    similar = similar_tickets(user, ticket, limit=SUGGESTIONS, now=now)
    return {
        "similar": [(s, s.ticket.pk in linked) for s in similar],
        "recurrence": found,
    }
