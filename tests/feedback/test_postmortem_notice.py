"""Asking for a post-mortem tells the people who write it (T3's agents, the leads, the founder
and the CTO), once each, in their language: a console notification and its email copy."""

from __future__ import annotations

from typing import Any

import pytest
from postmortem_helpers import MINUTE, OPENED, open_ticket, rotation

from soporte.accounts import services as accounts
from soporte.feedback import postmortems
from soporte.feedback.models import PostMortem
from soporte.jobs.models import OutboxMessage
from soporte.notify.models import Notification

pytestmark = pytest.mark.django_db

EVENT = "postmortem_requested"


def test_a_p0_tells_t3_the_leads_the_founder_and_the_cto_once_in_their_language(
    world: Any,
) -> None:
    rotation(world)
    world.agents["lead1"].locale = "en"
    world.agents["lead1"].save(update_fields=["locale"])
    gone = accounts.create_agent(email="gone@trackmyvend.example", name="Gone", role="lead")
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])

    ticket = open_ticket(world)

    told = Notification.objects.filter(event=EVENT, ticket=ticket)
    expected = ["t3", "lead1", "lead2", "lead3", "admin", "founder", "cto"]  # admin: a T3
    assert sorted(n.agent_id for n in told) == sorted(world.agents[n].pk for n in expected)
    english = told.get(agent=world.agents["lead1"]).title
    spanish = told.get(agent=world.agents["t3"]).title
    assert english == (
        f"Post-mortem asked for ticket #{ticket.pk} (a P0): Ninguna máquina reporta ventas. "
        "Due 5 business days after resolution."
    )
    assert spanish.startswith(f"Se pidió un post-mortem del ticket #{ticket.pk} (un P0)")
    copies = OutboxMessage.objects.filter(
        idempotency_key__startswith=f"notify:postmortem:{ticket.pk}:"
    )
    assert sorted(c.payload["to"][0] for c in copies) == sorted(
        world.agents[n].email for n in expected
    )
    assert copies.get(payload__to=[world.agents["lead1"].email]).payload["subject"] == english

    postmortems.request_postmortem(ticket=ticket, reason="founder_page", at=OPENED + MINUTE)
    PostMortem.objects.filter(ticket=ticket).delete()  # asked for afresh: the notice is keyed
    postmortems.request_postmortem(ticket=ticket, reason="p0", at=OPENED + 2 * MINUTE)

    assert told.count() == len(expected)
    assert copies.count() == len(expected)


def test_a_founder_page_says_why(world: Any) -> None:
    rotation(world)
    world.agents["cto"].locale = "en"
    world.agents["cto"].save(update_fields=["locale"])
    ticket = open_ticket(world, severity="P1")

    postmortems.request_postmortem(ticket=ticket, reason="founder_page", at=OPENED)

    (title,) = Notification.objects.filter(event=EVENT, agent=world.agents["cto"]).values_list(
        "title", flat=True
    )
    assert "(a page reached the founder and the CTO)" in title
