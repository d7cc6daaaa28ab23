"""Bearer tokens and browser sessions (with CSRF) on the REST API."""

from __future__ import annotations

import json

import pytest
from api_helpers import Desk, signed_in
from django.test import Client
from django.utils import timezone

from soporte.accounts.models import ApiToken
from soporte.accounts.services import create_token

pytestmark = pytest.mark.django_db

NEW_TICKET = {"subject": "Cannot log in", "body": "Error 500", "severity": "P2"}


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_token_authenticates_its_agent_and_is_stored_only_as_a_hash(desk: Desk) -> None:
    agent = desk.world.agents["t2"]
    token, secret = create_token(agent=agent, name="zapier")

    response = bearer(secret).get("/api/me")

    assert response.status_code == 200
    assert (
        response.json() | {"agent_id": agent.pk, "tier": "T2", "kind": "agent"} == response.json()
    )
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.prefix)
    assert stored.digest != secret
    assert stored.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sop_" + "x" * 43,  # well-formed, unknown
        "Bearer sop_short",
        "Bearer not-a-soporte-token",
        "Bearer ",
        "Bearer sop_\x00\x00\x00\x00\x00\x00\x00\x00\x00",
        "Basic dXNlcjpwYXNz",
        "sop_" + "x" * 43,
    ],
)
def test_unknown_or_malformed_credentials_are_401(desk: Desk, header: str) -> None:
    response = Client(HTTP_AUTHORIZATION=header).get("/api/tickets")

    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"]}
    assert "Bearer" in response["WWW-Authenticate"]


def test_a_revoked_token_is_401(desk: Desk) -> None:
    token, secret = create_token(agent=desk.world.agents["t1"], name="old")
    assert bearer(secret).get("/api/me").status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    assert bearer(secret).get("/api/me").status_code == 401


def test_the_token_of_a_deactivated_agent_is_401(desk: Desk) -> None:
    agent = desk.world.agents["t1"]
    _, secret = create_token(agent=agent, name="ci")
    agent.user.is_active = False
    agent.user.save()

    assert bearer(secret).get("/api/me").status_code == 401


def test_anonymous_gets_401_on_reads_and_writes_even_without_csrf(desk: Desk) -> None:
    client = Client(enforce_csrf_checks=True)

    assert client.get("/api/tickets").status_code == 401
    response = client.post("/api/tickets", json.dumps(NEW_TICKET), content_type="application/json")
    assert response.status_code == 401


def test_a_forged_session_cookie_is_anonymous(desk: Desk) -> None:
    client = Client()
    for value in ["x" * 32, "\x00" * 40, "ü" * 10, ""]:
        client.cookies["sessionid"] = value
        assert client.get("/api/tickets").status_code == 401


def test_a_session_post_without_the_csrf_token_is_refused(desk: Desk) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.world.contacts["starter"].user)

    response = client.post("/api/tickets", json.dumps(NEW_TICKET), content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert client.get("/api/tickets").status_code == 200  # safe methods need no token
    signed_in(client)
    response = client.post("/api/tickets", json.dumps(NEW_TICKET), content_type="application/json")
    assert response.status_code == 201, response.content


def test_an_agent_can_use_the_session_too(desk: Desk) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.world.agents["t2"].user)
    signed_in(client)

    response = client.patch(
        f"/api/tickets/{desk.t2_ticket.pk}",
        json.dumps({"severity": "P1"}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["severity"] == "P1"


def test_a_token_needs_no_csrf_token(desk: Desk) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {desk.token('t1')}")
    body = {**NEW_TICKET, "requester_email": "ANA@starter.example"}

    response = client.post("/api/tickets", json.dumps(body), content_type="application/json")

    assert response.status_code == 201
    assert response.json()["requester"]["email"] == "ana@starter.example"
