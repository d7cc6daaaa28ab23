"""Recording what happens to a ticket, in the caller's transaction.

Every change to a ticket records an event here, so this is also where the ticket's
``updated_at`` moves (what API clients sync by): one place, not one per service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from soporte.accounts.models import Agent, Contact
from soporte.tickets.models import EventKind, Ticket, TimelineEvent

Actor = Agent | Contact | None


def record(
    ticket: Ticket, kind: EventKind, *, at: datetime, actor: Actor = None, **data: Any
) -> TimelineEvent:
    """Write the event and set the ticket's ``updated_at`` to its instant."""
    entry = event(ticket, kind, at=at, actor=actor, **data)
    entry.save(force_insert=True)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    ticket.updated_at = at
    return entry


def event(
    ticket: Ticket, kind: EventKind, *, at: datetime, actor: Actor = None, **data: Any
) -> TimelineEvent:
    """The event ``record`` writes, unsaved (the bulk loader writes many at once)."""
    return TimelineEvent(
        ticket=ticket,
        kind=kind,
        at=at,
        actor_agent=actor if isinstance(actor, Agent) else None,
        actor_contact=actor if isinstance(actor, Contact) else None,
        data=data,
    )


def link(ticket: Ticket, old: Ticket, *, at: datetime, rule: str) -> None:
    """Link the new ``ticket`` and ``old``, the one its requester wrote to but that does not
    take the message (``rule`` says why), on both timelines."""
    requester = ticket.requester
    for one, other in ((ticket, old), (old, ticket)):
        record(one, EventKind.LINKED, at=at, actor=requester, other=other.pk, rule=rule)
