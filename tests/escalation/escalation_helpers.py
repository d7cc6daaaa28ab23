"""A P0 page to acknowledge: one rotation, one Enterprise P0 ticket opened at a fixed instant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from soporte.escalation.models import Page
from soporte.oncall.services import create_rotation
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake

START = datetime(2026, 11, 30, 16, tzinfo=UTC)
"""The rotation's start (a Monday's handoff)."""
OPENED = datetime(2026, 12, 2, 5, tzinfo=UTC)
"""When the P0 came in: Tuesday 23:00 in Mexico City."""


def open_p0_page(world: Any, members: list[str]) -> Page:
    """The page of a new Enterprise P0, with the agents ``members`` (names in ``world``) as
    the rotation that takes pages."""
    create_rotation(
        name="Plataforma",
        members=[world.agents[name] for name in members],
        starts_at=START,
        now=timezone.now(),
    )
    ticket = tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity="P0",
        subject="Caído",
        body="Nada carga",
        intake=Intake(),
        received_at=OPENED,
        now=timezone.now(),
    )
    return Page.objects.get(ticket=ticket)
