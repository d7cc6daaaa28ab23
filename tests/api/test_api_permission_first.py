"""Permission comes before validation: a caller who may never use an operation gets 403, not
the field errors of what they sent (which would tell them how to shape a request)."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Desk
from django.test import Client

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, body, content_type="application/json")


CASES = [
    ("contact_a", lambda c, d: _post(c, "/api/contacts", {})),
    ("contact_a", lambda c, d: _post(c, "/api/contacts", {"email": "x", "organisation_id": 1})),
    ("t1", lambda c, d: _post(c, "/api/contacts", {"email": "not an address"})),
    ("contact_b", lambda c, d: _post(c, "/api/organisations", {"plan": "gold"})),
    ("lead", lambda c, d: c.get("/api/contacts?limit=0&offset=-1")),
    ("contact_a", lambda c, d: c.get("/api/organisations/not-a-uuid")),
    ("contact_a", lambda c, d: c.get("/api/contacts/0")),
    ("contact_a", lambda c, d: _post(c, f"/api/tickets/{d.t1_ticket.pk}/escalate", {})),
    ("contact_a", lambda c, d: _post(c, "/api/tickets/0/escalate", {"reason": ""})),
    ("contact_a", lambda c, d: c.get("/api/tickets/0/page")),
    ("contact_a", lambda c, d: c.post("/api/tickets/0/page/acknowledge")),
]


@pytest.mark.parametrize(("role", "call"), CASES)
def test_a_caller_who_may_not_use_an_operation_gets_403_before_field_errors(
    desk: Desk, role: str, call: Any
) -> None:
    response = call(desk.client(role), desk)

    assert response.status_code == 403, response.content[:300]
    assert isinstance(response.json()["detail"], str)


def test_an_admin_still_gets_the_field_errors(desk: Desk) -> None:
    response = _post(desk.client("admin"), "/api/contacts", {})

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} >= {"email", "organisation_id"}
