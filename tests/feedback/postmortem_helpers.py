"""A P0 incident at fixed instants: a rotation that takes pages, an Enterprise P0 opened
Tuesday 2 March 2027 at 23:00 in Mexico City."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from soporte.accounts import services as accounts
from soporte.oncall.services import create_rotation
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket

START = datetime(2027, 3, 1, 16, tzinfo=UTC)
"""The rotation's start: Monday 1 March 2027, 10:00 in Mexico City (the handoff)."""
OPENED = datetime(2027, 3, 3, 5, tzinfo=UTC)
"""Tuesday 2 March 2027, 23:00 in Mexico City."""
MINUTE = timedelta(minutes=1)


def rotation(world: Any, *names: str) -> None:
    """The rotation that takes pages (``names``: its members, by default T3 and T3's lead),
    and the founder and the CTO (a P0's page reaches them after 30 minutes)."""
    for role in ("founder", "cto"):
        world.agents[role] = accounts.create_agent(
            email=f"{role}@trackmyvend.example", name=role.upper(), tier="T3", role=role
        )
    create_rotation(
        name="Plataforma",
        members=[world.agents[name] for name in names or ("t3", "lead3")],
        starts_at=START,
        now=START,
    )


def open_ticket(world: Any, severity: str = "P0", at: datetime = OPENED) -> Ticket:
    return tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity=severity,
        subject="Ninguna máquina reporta ventas",
        body="El tablero está en ceros desde las 22:30",
        intake=Intake(),
        received_at=at,
        now=at,
    )
