"""Acknowledged at PagerDuty: the page is acknowledged at the time soporte received the event,
whatever the event says it occurred at (kept on the timeline as PagerDuty's word)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from escalation_helpers import OPENED, open_p0_page

from soporte.jobs import services as jobs
from soporte.notify.transports.pagerduty import pagerduty_signature
from soporte.tickets.models import EventKind, TimelineEvent

SECRET = "pd-webhook-secret"


def test_an_acknowledgement_dated_1999_counts_from_when_it_was_received(
    world: Any, settings: Any
) -> None:
    settings.PAGERDUTY_ROUTING_KEY = "0123456789abcdef0123456789abcdef"
    settings.PAGERDUTY_WEBHOOK_SECRETS = [SECRET]
    page = open_p0_page(world, ["t3", "t2"])
    body = json.dumps(
        {
            "event": {
                "id": "01EVENT",
                "event_type": "incident.acknowledged",
                "occurred_at": "1999-01-01T00:00:00Z",
                "agent": {"type": "user", "email": "t3@trackmyvend.example"},
                "data": {"type": "incident", "incident_key": f"soporte-page-{page.pk}-step-0"},
            }
        }
    ).encode()
    received = OPENED + timedelta(minutes=4)
    with time_machine.travel(received, tick=False):
        answer = Client().post(
            "/hooks/pagerduty",
            data=body,
            content_type="application/json",
            headers={"X-PagerDuty-Signature": pagerduty_signature(SECRET.encode(), body)},
        )
    assert answer.status_code == 200
    while jobs.run_due(worker="test", now=received + timedelta(seconds=30)):
        pass
    page.refresh_from_db()
    assert (page.acknowledged_at, page.acknowledged_via) == (received, "pagerduty")
    event = TimelineEvent.objects.get(ticket=page.ticket, kind=EventKind.PAGE_ACKNOWLEDGED)
    assert event.at == received
    assert event.data["reported_at"] == "1999-01-01T00:00:00+00:00"
