"""Recording what happens to a ticket, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from soporte.accounts.models import Agent, Contact
from soporte.tickets.models import EventKind, Ticket, TimelineEvent

Actor = Agent | Contact | None


def record(
    ticket: Ticket, kind: EventKind, *, at: datetime, actor: Actor = None, **data: Any
) -> TimelineEvent:
    entry = event(ticket, kind, at=at, actor=actor, **data)
    entry.save(force_insert=True)
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
