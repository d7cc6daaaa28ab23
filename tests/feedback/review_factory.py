"""Surveys for the weekly review's tests, written straight to the database (the CSAT services
send them in production): a ticket opened at a fixed instant, a survey of its resolution."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from soporte.accounts import services as accounts
from soporte.feedback.models import Survey
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake

OPENED = datetime.fromisoformat("2026-12-01T10:00:00-06:00")  # Tuesday of 2026-W49


def survey(
    world: Any,
    *,
    answer: str = "neutral",
    answered_at: datetime | None = None,
    comment: str = "",
    plan: str = "pro",
    opened: datetime = OPENED,
    resolved: datetime | None = None,
    escalate: int = 0,
    first_response: str = "met",
    voided: bool = False,
) -> Survey:
    """A survey of a ticket opened at ``opened`` and resolved at ``resolved`` (default: 3 h
    later), credited to T1, escalated ``escalate`` times before it, answered ``answer`` at
    ``answered_at`` (default: at the resolution; blank ``answer``: not answered)."""
    resolved = resolved or opened + timedelta(hours=3)
    ticket = tickets.open_ticket(
        requester=world.contacts[plan],
        channel="portal",
        severity="P2",
        subject=f"No aparecen mis ventas ({answer or 'sin respuesta'})",
        body="Desde ayer no veo las ventas de la máquina 12.",
        intake=Intake(),
        received_at=opened,
        now=opened,
    )
    for step in range(escalate):
        tickets.escalate(
            ticket=ticket,
            actor=world.agents["t1"],
            reason="needs logs",
            code_bug=step > 0,
            at=opened + timedelta(minutes=30 * (step + 1)),
        )
    return Survey.objects.create(
        ticket=ticket,
        resolved_at=resolved,
        contact=world.contacts[plan],
        organisation=world.orgs[plan],
        sent_at=resolved,
        voided_at=resolved if voided else None,
        agent=world.agents["t1"],
        tier=ticket.tier,
        channel="portal",
        plan=plan,
        severity="P2",
        first_response=first_response,
        answer=answer,
        comment=comment,
        answered_at=(answered_at or resolved) if answer else None,
        changed_at=(answered_at or resolved) if answer else None,
    )


def executives(world: Any) -> dict[str, Any]:
    """The founder, the CTO and the world's leads and admin: who holds the review."""
    people = {
        role: accounts.create_agent(
            email=f"{role}@trackmyvend.example",
            name=role.upper(),
            tier="T3",
            role=role,
            password="pw-12345678",
        )
        for role in ("founder", "cto")
    }
    return {**people, "lead": world.agents["lead1"], "admin": world.agents["admin"]}
