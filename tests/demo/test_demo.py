"""The demo world: every state present, some breached, some at risk, reset rebuilds it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from soporte.accounts.models import Agent, Organisation
from soporte.demo import world as demo
from soporte.sla.domain import ClockStatus
from soporte.sla.selectors import clock_views, most_urgent
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_desk_looks_alive():
    world = demo.seed()
    assert world["password"] == demo.PASSWORD
    assert set(Organisation.objects.values_list("plan", flat=True)) == {
        "starter",
        "pro",
        "enterprise",
    }
    assert set(Agent.objects.values_list("tier", flat=True)) == {"T1", "T2", "T3"}
    assert {"lead", "founder", "cto", "admin"} <= set(Agent.objects.values_list("role", flat=True))
    tickets = Ticket.objects.prefetch_related("clocks")
    assert {"new", "open", "pending", "solved"} <= set(tickets.values_list("status", flat=True))
    assert set(tickets.values_list("tier", flat=True)) == {"T1", "T2", "T3"}
    now = timezone.now()
    statuses = {most_urgent(clock_views(t.clocks.all(), now)).status for t in tickets}  # type: ignore[union-attr]
    assert {ClockStatus.BREACHED, ClockStatus.AT_RISK, ClockStatus.ON_TRACK} <= statuses


def test_reset_rebuilds_and_a_second_seed_needs_reset():
    demo.seed()
    assert not demo.is_empty()
    demo.reset()
    assert demo.is_empty()
    assert not Ticket.objects.exists()
    demo.seed()
    assert Ticket.objects.count() == len(demo.STORIES)
