"""Reads of the feedback loop's records."""

from __future__ import annotations

from soporte.feedback.models import Survey
from soporte.tickets.models import Ticket


def pending_survey(ticket: Ticket) -> Survey | None:
    """The survey of ``ticket``'s current resolution while it waits for its first answer: the
    ticket is solved (or closed), a survey for its ``solved_at`` went out, and it is neither
    voided (reopened) nor answered. ``None`` otherwise."""
    if not ticket.is_resolved or ticket.solved_at is None:
        return None
    return (
        Survey.objects.select_related("contact")
        .filter(ticket=ticket, resolved_at=ticket.solved_at, voided_at__isnull=True, answer="")
        .first()
    )
