"""Who reads and who works a ticket (docs/readings.md item 8), and the tickets an agent took
part in, on the real database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from soporte.tickets import selectors, services
from soporte.tickets.domain.intake import Intake

pytestmark = pytest.mark.django_db

MONDAY = datetime.fromisoformat("2026-11-30T09:00:00-06:00")


def open_(world, subject: str):  # type: ignore[no-untyped-def]
    return services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P2",
        subject=subject,
        body="x",
        intake=Intake(),
        received_at=MONDAY,
        now=timezone.now(),
    )


def test_an_agent_took_part_by_replying_noting_escalating_or_being_assigned(world):  # type: ignore[no-untyped-def]
    t1, lead = world.agents["t1"], world.agents["lead1"]
    replied, noted, escalated, assigned, _untouched, by_lead = (
        open_(world, s) for s in ("replied", "noted", "escalated", "assigned", "untouched", "lead")
    )
    later = iter(MONDAY + timedelta(minutes=m) for m in range(1, 20))
    services.reply(ticket=replied, author=t1, body="Hola", at=next(later))
    services.reply(ticket=noted, author=t1, body="hm", public=False, at=next(later))
    services.escalate(ticket=escalated, actor=t1, reason="needs logs", at=next(later))
    services.assign(ticket=assigned, assignee=t1, actor=lead, at=next(later))
    services.assign(ticket=assigned, assignee=None, actor=lead, at=next(later))
    services.reply(ticket=by_lead, author=lead, body="Hola", at=next(later))
    services.change_status(ticket=replied, status="solved", actor=t1, at=next(later))

    took_part = list(selectors.participated(t1.user))

    assert took_part == [assigned, escalated, noted, replied]  # latest part first, any status
    assert list(selectors.participated(world.contacts["pro"].user)) == []


def test_agents_read_every_ticket_and_work_their_tiers(world):  # type: ignore[no-untyped-def]
    t1, t2 = world.agents["t1"], world.agents["t2"]
    at_t1, at_t2 = open_(world, "T1"), open_(world, "T2")
    services.escalate(ticket=at_t2, actor=t1, reason="needs logs", at=MONDAY)
    at_t2.refresh_from_db()

    assert set(selectors.visible_tickets(t1.user)) == {at_t1, at_t2}
    assert set(selectors.workable_tickets(t1.user)) == {at_t1}
    assert [selectors.may_work(t1.user, t) for t in (at_t1, at_t2)] == [True, False]
    assert set(selectors.queue(t1.user, selectors.QueueFilter())) == {at_t1}
    services.assign(ticket=at_t2, assignee=t1, actor=world.agents["lead2"], at=MONDAY)
    at_t2.refresh_from_db()
    assert selectors.may_work(t1.user, at_t2)
    assert set(selectors.workable_tickets(t2.user)) == {at_t1, at_t2}
    assert set(selectors.visible_tickets(world.contacts["starter"].user)) == set()
