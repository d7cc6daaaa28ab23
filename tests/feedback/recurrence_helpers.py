"""Tickets for the recurrence and suggestion tests, opened at fixed instants."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket

START = datetime.fromisoformat("2026-05-04T10:00:00-06:00")  # a Monday morning


def open_at(
    world: Any, subject: str, body: str = "", *, days: float, plan: str = "starter"
) -> Ticket:
    """A ticket from ``plan``'s contact, received ``days`` after ``START``."""
    at = START + timedelta(days=days)
    return services.open_ticket(
        requester=world.contacts[plan],
        channel="portal",
        severity="P3",
        subject=subject,
        body=body or subject,
        intake=Intake(),
        now=at,
    )
