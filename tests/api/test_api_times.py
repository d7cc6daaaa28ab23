"""Every time the API answers is written one way: UTC, with ``Z``, whichever operation wrote
it and whatever zone the value was computed in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from api_helpers import Desk

pytestmark = pytest.mark.django_db

TUESDAY_MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def instants(data: Any) -> Iterator[str]:
    """Every date-time string anywhere in a JSON document."""
    if isinstance(data, dict):
        for value in data.values():
            yield from instants(value)
    elif isinstance(data, list):
        for value in data:
            yield from instants(value)
    elif isinstance(data, str) and INSTANT.fullmatch(data):
        yield data


@time_machine.travel(TUESDAY_MORNING, tick=False)
def test_opening_reading_and_changing_a_ticket_answer_times_in_utc(desk: Desk) -> None:
    client = desk.client("t1")
    body = {
        "subject": "Sales missing",
        "body": "No sales since 9:00",
        "severity": "P1",
        "channel": "whatsapp",
        "requester_email": "ana@pro.example",
        "intake": {"url": "https://app/x"},
    }
    created = client.post("/api/tickets", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    ticket = created.json()
    read = client.get(f"/api/tickets/{ticket['id']}").json()
    changed = client.patch(
        f"/api/tickets/{ticket['id']}", json.dumps({"severity": "P2"}), "application/json"
    ).json()

    for answer in (ticket, read, changed):
        written = list(instants(answer))
        assert written, answer
        assert all(value.endswith("Z") for value in written), written
    assert read["opened_at"] == ticket["opened_at"] == "2026-12-01T16:00:00Z"
    assert read["clocks"] == ticket["clocks"]
