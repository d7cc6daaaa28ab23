"""The demo desk has an emergency call (Enterprise: a P0 at T3, paged, with its voice message
and transcription) and a Pro caller's email-grade ticket."""

from __future__ import annotations

import pytest
from django.utils import timezone

from soporte.demo import world as demo
from soporte.escalation.models import Page
from soporte.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_has_emergency_calls() -> None:
    demo.seed(now=timezone.now())
    calls = Ticket.objects.filter(messages__provider_scope="phone").distinct()
    by_plan = {t.plan: t for t in calls}
    assert set(by_plan) == {"pro", "enterprise"}
    emergency = by_plan["enterprise"]
    assert (emergency.severity, emergency.tier, emergency.channel_entitled) == ("P0", "T3", True)
    assert Page.objects.filter(ticket=emergency).exists()
    bodies = list(Message.objects.filter(ticket=emergency).values_list("body", flat=True))
    assert any("Recordings/RE" in b for b in bodies)
    assert any("Monterrey" in b for b in bodies)
    assert not by_plan["pro"].channel_entitled
