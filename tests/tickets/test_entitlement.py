"""A channel the plan lacks never loses the message (READING.md §3): the ticket is email-grade,
and its timeline says why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import translation

from soporte.console.presenters import describe
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind

pytestmark = pytest.mark.django_db

RECEIVED = datetime.fromisoformat("2026-11-27T10:00:00-06:00")


def created_event(world: Any, plan: str, channel: str) -> Any:
    ticket = services.open_ticket(
        requester=world.contacts[plan],
        channel=channel,
        severity="P2",
        subject="Las ventas no aparecen",
        body="Desde ayer.",
        intake=Intake(),
        received_at=RECEIVED,
        now=RECEIVED,
    )
    return ticket, ticket.timeline.get(kind=EventKind.CREATED)


@pytest.mark.parametrize(
    ("plan", "channel"), [("starter", "slack"), ("pro", "phone"), ("starter", "phone")]
)
def test_the_timeline_says_why_a_ticket_is_email_grade(world: Any, plan: str, channel: str) -> None:
    ticket, event = created_event(world, plan, channel)
    assert not ticket.channel_entitled
    assert event.data["email_grade_plan"] == plan
    with translation.override("en"):
        text = describe(event)
    assert text.endswith(
        f"email-grade: the {plan.title()} plan does not include "
        f"{ {'slack': 'Slack Connect', 'phone': 'Emergency phone line'}[channel] }, "
        "so only the SLA grid applies"
    )


@pytest.mark.parametrize(("plan", "channel"), [("pro", "slack"), ("starter", "whatsapp")])
def test_an_entitled_channel_says_nothing_of_it(world: Any, plan: str, channel: str) -> None:
    ticket, event = created_event(world, plan, channel)
    assert ticket.channel_entitled
    assert "email_grade_plan" not in event.data
    with translation.override("en"):
        assert "email-grade" not in describe(event)
