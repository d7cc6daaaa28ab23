"""Every API route × every role (ARCHITECTURE.md rule 6; issue 3 §6).

Organisation A owns the tickets; contact B belongs to another organisation. The ticket read,
changed and answered is at T2: a T1 agent reads it but may not work it (403). A ticket the
caller may not see answers 404 (never 403), exactly like a ticket that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from api_helpers import ROLES, Desk, png_upload
from django.test import Client

pytestmark = pytest.mark.django_db

#               anonymous  contact_a  contact_b  t1   t2   t3   lead  admin
READ_T2 = dict(zip(ROLES, [401, 200, 404, 200, 200, 200, 200, 200], strict=True))
AGENT_ON_T2 = dict(zip(ROLES, [401, 403, 404, 403, 200, 200, 200, 200], strict=True))
WRITE_T2 = dict(zip(ROLES, [401, 201, 404, 403, 201, 201, 201, 201], strict=True))
NOTE_T2 = dict(zip(ROLES, [401, 403, 404, 403, 201, 201, 201, 201], strict=True))
SIGNED_IN = dict(zip(ROLES, [401, 200, 200, 200, 200, 200, 200, 200], strict=True))
ADMIN_READ = dict(zip(ROLES, [401, 403, 403, 403, 403, 403, 403, 200], strict=True))
ADMIN_CREATE = {**ADMIN_READ, "admin": 201}
AGENT_PAGE_T2 = dict(zip(ROLES, [401, 403, 403, 200, 200, 200, 200, 200], strict=True))
AGENT_SEES_T2 = dict(zip(ROLES, [401, 403, 404, 200, 200, 200, 200, 200], strict=True))
# Leads and admins dispose of a recurrence, besides who linked it (a lead, in ``_recurrence``)
DISPOSE = {**AGENT_PAGE_T2, "t1": 403, "t2": 403, "t3": 403}
# READING §9: only those paged, the rotation's members (none here), leads and admins acknowledge
ACK_PAGE_T2 = {**AGENT_PAGE_T2, "t1": 403, "t2": 403, "t3": 403}


@dataclass(frozen=True)
class Route:
    name: str
    call: Callable[[Client, Desk, str], Any]
    expected: dict[str, int]


def _paged(desk: Desk) -> int:
    """The T2 ticket, with an on-call page open."""
    from django.utils import timezone

    from soporte.escalation.services import open_page

    open_page(ticket=desk.t2_ticket, reason="t3_code_bug", at=timezone.now())
    return int(desk.t2_ticket.pk)


def _recurrence(desk: Desk) -> int:
    """The T2 ticket linked by a lead to the earlier T1 ticket; the recurrence's id."""
    from django.utils import timezone

    from soporte.feedback.recurrences import link_recurrence

    found = link_recurrence(
        ticket=desk.t2_ticket,
        earlier=desk.t1_ticket,
        actor=desk.world.agents["lead1"],
        at=timezone.now(),
    )
    return int(found.pk)


def _json(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def _new_ticket(role: str, desk: Desk) -> dict[str, Any]:
    body: dict[str, Any] = {"subject": "Cannot log in", "body": "Error 500", "severity": "P2"}
    if not role.startswith("contact"):
        body["requester_id"] = desk.world.contacts["starter"].pk
    return body


ROUTES = [
    Route("list tickets", lambda c, d, r: c.get("/api/tickets"), SIGNED_IN),
    Route(
        "create ticket",
        lambda c, d, r: _json(c, "post", "/api/tickets", _new_ticket(r, d)),
        {**WRITE_T2, "contact_b": 201, "t1": 201},
    ),
    Route("read ticket", lambda c, d, r: c.get(f"/api/tickets/{d.t2_ticket.pk}"), READ_T2),
    Route(
        "change severity",
        lambda c, d, r: _json(c, "patch", f"/api/tickets/{d.t2_ticket.pk}", {"severity": "P1"}),
        AGENT_ON_T2,
    ),
    Route(
        "mark solved",
        lambda c, d, r: _json(c, "patch", f"/api/tickets/{d.t2_ticket.pk}", {"status": "solved"}),
        {**AGENT_ON_T2, "contact_a": 200},
    ),
    Route(
        "set pending",
        lambda c, d, r: _json(c, "patch", f"/api/tickets/{d.t2_ticket.pk}", {"status": "pending"}),
        AGENT_ON_T2,
    ),
    Route(
        "assign",
        lambda c, d, r: _json(
            c, "patch", f"/api/tickets/{d.t2_ticket.pk}", {"assignee_id": d.world.agents["t2"].pk}
        ),
        AGENT_ON_T2,
    ),
    Route(
        "escalate",
        lambda c, d, r: _json(
            c, "post", f"/api/tickets/{d.t1_ticket.pk}/escalate", {"reason": "needs T2"}
        ),
        {**AGENT_ON_T2, "contact_b": 403, "t1": 200},  # agents only: 403 before the ticket
    ),
    Route(
        "list messages", lambda c, d, r: c.get(f"/api/tickets/{d.t2_ticket.pk}/messages"), READ_T2
    ),
    Route(
        "reply",
        lambda c, d, r: _json(c, "post", f"/api/tickets/{d.t2_ticket.pk}/messages", {"body": "Hi"}),
        WRITE_T2,
    ),
    Route(
        "internal note",
        lambda c, d, r: _json(
            c, "post", f"/api/tickets/{d.t2_ticket.pk}/messages", {"body": "Hm", "kind": "internal"}
        ),
        NOTE_T2,
    ),
    Route(
        "list attachments",
        lambda c, d, r: c.get(f"/api/tickets/{d.t2_ticket.pk}/attachments"),
        READ_T2,
    ),
    Route(
        "upload attachment",
        lambda c, d, r: c.post(
            f"/api/tickets/{d.t2_ticket.pk}/attachments", {"file": png_upload()}
        ),
        WRITE_T2,
    ),
    Route(
        "download attachment", lambda c, d, r: c.get(f"/api/attachments/{d.attachment.pk}"), READ_T2
    ),
    Route("sla", lambda c, d, r: c.get(f"/api/tickets/{d.t2_ticket.pk}/sla?lang=en"), READ_T2),
    Route("page", lambda c, d, r: c.get(f"/api/tickets/{_paged(d)}/page"), AGENT_PAGE_T2),
    Route(
        "acknowledge page",
        lambda c, d, r: c.post(f"/api/tickets/{_paged(d)}/page/acknowledge"),
        ACK_PAGE_T2,
    ),
    Route("me", lambda c, d, r: c.get("/api/me"), SIGNED_IN),
    Route("list organisations", lambda c, d, r: c.get("/api/organisations"), ADMIN_READ),
    Route(
        "create organisation",
        lambda c, d, r: _json(c, "post", "/api/organisations", {"name": "Nueva", "plan": "pro"}),
        ADMIN_CREATE,
    ),
    Route(
        "read organisation",
        lambda c, d, r: c.get(f"/api/organisations/{d.world.orgs['starter'].pk}"),
        ADMIN_READ,
    ),
    Route("list contacts", lambda c, d, r: c.get("/api/contacts"), ADMIN_READ),
    Route(
        "create contact",
        lambda c, d, r: _json(
            c,
            "post",
            "/api/contacts",
            {
                "organisation_id": str(d.world.orgs["starter"].pk),
                "email": "new@starter.example",
                "name": "Nuevo",
            },
        ),
        ADMIN_CREATE,
    ),
    Route(
        "read contact",
        lambda c, d, r: c.get(f"/api/contacts/{d.world.contacts['pro'].pk}"),
        ADMIN_READ,
    ),
    Route(
        "similar tickets",
        lambda c, d, r: c.get(f"/api/tickets/{d.t2_ticket.pk}/similar"),
        AGENT_SEES_T2,
    ),
    Route(
        "link recurrence",
        lambda c, d, r: _json(
            c, "post", f"/api/tickets/{d.t2_ticket.pk}/recurrence", {"earlier": d.t1_ticket.pk}
        ),
        AGENT_SEES_T2,
    ),
    Route(
        "read recurrence",
        lambda c, d, r: _recurrence(d) and c.get(f"/api/tickets/{d.t2_ticket.pk}/recurrence"),
        AGENT_SEES_T2,
    ),
    Route("open recurrences", lambda c, d, r: c.get("/api/recurrences"), AGENT_PAGE_T2),
    Route(
        "dispose of recurrence",
        lambda c, d, r: _json(
            c,
            "post",
            f"/api/recurrences/{_recurrence(d)}/disposition",
            {"kind": "no_action", "reason": "one-off"},
        ),
        DISPOSE,
    ),
]

CASES = [
    pytest.param(route, role, route.expected[role], id=f"{route.name}-{role}")
    for route in ROUTES
    for role in ROLES
]


@pytest.mark.parametrize(("route", "role", "expected"), CASES)
def test_route_answers_each_role_as_the_matrix_says(
    desk: Desk, route: Route, role: str, expected: int
) -> None:
    response = route.call(desk.client(role), desk, role)

    assert response.status_code == expected, response.content[:500]
    if expected >= 400:
        assert response["Content-Type"].startswith("application/json")
        assert isinstance(response.json()["detail"], str)
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_every_operation_of_the_schema_is_in_the_matrix() -> None:
    from soporte.config.urls import api

    operations = {
        (method.upper(), path)
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
    }
    assert len(operations) == 25
    assert len(ROUTES) >= len(operations)
