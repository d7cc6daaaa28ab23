"""The recurrence and suggestion endpoints over HTTP (the role matrix is in tests/api)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from recurrence_helpers import START, open_at

from soporte.accounts.services import create_token
from soporte.feedback.models import Recurrence

pytestmark = pytest.mark.django_db

NOW = START + timedelta(days=5)


def agent_client(world: Any, name: str) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {create_token(agent=world.agents[name], name='t')[1]}"
    )


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def tickets(world: Any) -> dict[str, Any]:
    return {
        "sales": open_at(world, "No me llegan las ventas", "Desde ayer no veo ventas", days=0),
        "reader": open_at(world, "El lector de tarjetas no enciende", days=1, plan="pro"),
        "new": open_at(world, "no aparecen mis ventas desde ayer", days=4),
    }


def test_similar_lists_earlier_tickets_ranked_with_scores(world: Any, tickets: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        response = agent_client(world, "t1").get(
            f"/api/tickets/{tickets['new'].pk}/similar?limit=5"
        )
    assert response.status_code == 200
    found = response.json()
    assert found[0]["ticket_id"] == tickets["sales"].pk
    assert found[0]["organisation"] == "Starter Vending"
    assert 0 < found[0]["score"] <= 1
    assert [f["score"] for f in found] == sorted((f["score"] for f in found), reverse=True)


@pytest.mark.parametrize("limit", ["0", "21", "x"])
def test_a_bad_limit_is_a_422_naming_it(world: Any, tickets: Any, limit: str) -> None:
    response = agent_client(world, "t1").get(
        f"/api/tickets/{tickets['new'].pk}/similar?limit={limit}"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limit"


def test_linking_then_disposing_over_http(world: Any, tickets: Any) -> None:
    t1 = agent_client(world, "t1")
    response = post(
        t1, f"/api/tickets/{tickets['new'].pk}/recurrence", {"earlier": tickets["sales"].pk}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["open"] is True
    assert [t["ticket_id"] for t in body["tickets"]] == [tickets["sales"].pk, tickets["new"].pk]
    assert [r["id"] for r in t1.get("/api/recurrences").json()] == [body["id"]]
    assert t1.get(f"/api/tickets/{tickets['sales'].pk}/recurrence").json()["id"] == body["id"]

    other = post(
        agent_client(world, "t2"),
        f"/api/recurrences/{body['id']}/disposition",
        {"kind": "kb_article", "link": "https://kb.example/ventas"},
    )
    assert other.status_code == 403
    done = post(
        t1,
        f"/api/recurrences/{body['id']}/disposition",
        {"kind": "product_fix", "link": "https://git.example/issues/7"},
    )
    assert done.status_code == 200
    assert (done.json()["open"], done.json()["disposition"], done.json()["disposed_by"]) == (
        False,
        "product_fix",
        "T1",
    )
    assert t1.get("/api/recurrences").json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "kb_article"}, "link"),
        ({"kind": "product_fix", "link": "git.example/7"}, "link"),
        ({"kind": "no_action"}, "reason"),
        ({"kind": "later"}, "kind"),
        ({}, "kind"),
    ],
)
def test_a_bad_disposition_is_a_422_naming_the_field(
    world: Any, tickets: Any, body: dict[str, Any], field: str
) -> None:
    lead = agent_client(world, "lead1")
    made = post(
        lead, f"/api/tickets/{tickets['new'].pk}/recurrence", {"earlier": tickets["sales"].pk}
    )
    response = post(lead, f"/api/recurrences/{made.json()['id']}/disposition", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    assert Recurrence.objects.get().is_open


@pytest.mark.parametrize(
    ("which", "earlier", "status", "says"),
    [
        ("new", "new", 409, "cannot be linked to itself"),
        ("sales", "new", 409, "link a ticket to an earlier one"),
        ("new", 999_999, 404, "earlier ticket 999999 not found"),
    ],
)
def test_a_link_the_tickets_refuse_says_why(
    world: Any, tickets: Any, which: str, earlier: Any, status: int, says: str
) -> None:
    number = tickets[earlier].pk if isinstance(earlier, str) else earlier
    response = post(
        agent_client(world, "t2"),
        f"/api/tickets/{tickets[which].pk}/recurrence",
        {"earlier": number},
    )
    assert response.status_code == status
    assert says in response.json()["detail"]
    assert not Recurrence.objects.exists()


def test_a_customer_of_another_organisation_gets_404(world: Any, tickets: Any) -> None:
    client = Client()
    client.force_login(world.contacts["pro"].user)
    assert client.get(f"/api/tickets/{tickets['new'].pk}/similar").status_code == 404
    own = Client()
    own.force_login(world.contacts["starter"].user)
    assert own.get(f"/api/tickets/{tickets['new'].pk}/similar").status_code == 403
