"""``tickets.opening``: the rows of new tickets, and the rule that keeps imports from paging."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from soporte.jobs.models import OutboxMessage
from soporte.policy import default_policy
from soporte.tickets import services
from soporte.tickets.domain.imports import page_reach, pages_on_import
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Message

NOW = datetime.fromisoformat("2026-11-30T10:00:00-06:00")


def test_an_import_pages_only_within_the_chains_reach() -> None:
    policy = default_policy()
    assert page_reach(policy) == timedelta(minutes=30)  # the founder and CTO step
    assert pages_on_import(policy, received_at=NOW, now=NOW)
    assert pages_on_import(policy, received_at=NOW - timedelta(minutes=30), now=NOW)
    assert not pages_on_import(policy, received_at=NOW - timedelta(minutes=31), now=NOW)
    assert not pages_on_import(policy, received_at=NOW - timedelta(days=200), now=NOW)


@pytest.mark.django_db
def test_the_acknowledgement_keeps_percent_signs_and_placeholders_as_typed(world: Any) -> None:
    ana = world.contacts["pro"]
    ana.name = "Ana 100% %(number)s"
    ana.save()
    typed = {"subject": "50% off %(due)s", "body": "hi", "intake": Intake(), "received_at": NOW}
    ticket = services.open_ticket(requester=ana, channel="email", severity="P2", now=NOW, **typed)
    ack = ticket.messages.order_by("id").last()
    assert isinstance(ack, Message)
    assert "Ana 100% %(number)s" in ack.body
    email = OutboxMessage.objects.get(idempotency_key=f"ack:{ticket.pk}")
    assert email.payload["subject"].endswith("50% off %(due)s")
    assert f"#{ticket.pk}" in email.payload["body"]
