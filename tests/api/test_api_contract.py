"""The OpenAPI document says what the API does (schemathesis checks it broadly in
test_api_schemathesis.py; these are the cases it found, one by one)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from api_helpers import Desk
from django.test import Client

from soporte.accounts.api import EMAIL_PATTERN
from soporte.tickets.attachments import MEDIA_TYPES

pytestmark = pytest.mark.django_db


def document() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def send(desk: Desk, method: str, path: str, body: Any) -> Any:
    client = desk.client("admin")
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("body", [[None, None], [], "severity", 7, None])
def test_a_json_body_that_is_not_an_object_is_a_malformed_request(desk: Desk, body: Any) -> None:
    response = send(desk, "patch", f"/api/tickets/{desk.t1_ticket.pk}", body)
    assert response.status_code == 400
    assert response.json()["detail"].endswith("the body must be a JSON object")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/tickets/{t2}/escalate", {"reason": "bug", "code_bug": 0}, "code_bug"),
        ("/api/tickets/{t2}/escalate", {"reason": "bug", "code_bug": "yes"}, "code_bug"),
        ("/api/tickets/{t1}", {"assignee_id": "4"}, "assignee_id"),
        ("/api/organisations", {"name": "A", "plan": "pro", "csm_id": 4.0}, "csm_id"),
    ],
)
def test_booleans_and_ids_in_a_body_are_json_booleans_and_integers(
    desk: Desk, path: str, body: dict[str, Any], field: str
) -> None:
    method = "patch" if path == "/api/tickets/{t1}" else "post"
    url = path.format(t1=desk.t1_ticket.pk, t2=desk.t2_ticket.pk)
    response = send(desk, method, url, body)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["detail"]] == [field]


def test_the_document_states_the_rules_the_api_applies() -> None:
    doc = document()
    schemas = doc["components"]["schemas"]
    # No NUL in text.
    subject = schemas["TicketCreate"]["properties"]["subject"]
    assert re.fullmatch(subject["pattern"], "Sales missing")
    assert not re.fullmatch(subject["pattern"], "Sales\x00missing")
    # Time zones are IANA names; emails what Django's validator takes.
    contact = schemas["ContactIn"]["properties"]
    assert "America/Mexico_City" in contact["time_zone"]["enum"]
    assert "Mars/Olympus" not in contact["time_zone"]["enum"]
    assert contact["email"]["pattern"] == EMAIL_PATTERN
    # Booleans and ids in bodies are strict.
    assert schemas["Escalation"]["properties"]["code_bug"]["type"] == "boolean"
    # Times answer in UTC; the description says so.
    assert "UTC" in doc["info"]["description"]


def test_the_document_names_every_type_an_attachment_is_up_and_down() -> None:
    paths = document()["paths"]
    upload = paths["/api/tickets/{ticket_id}/attachments"]["post"]["requestBody"]["content"]
    declared = upload["multipart/form-data"]["encoding"]["file"]["contentType"]
    assert [t.strip() for t in declared.split(",")] == list(MEDIA_TYPES)
    download = paths["/api/attachments/{attachment_id}"]["get"]["responses"]["200"]["content"]
    assert list(download) == list(MEDIA_TYPES)


@pytest.mark.parametrize(
    ("address", "accepted"),
    [("ana@example.mx", True), ("Ana.Luz@sub.example.com", True), ("0@0.a", False)],
)
def test_the_email_pattern_is_what_the_api_takes(desk: Desk, address: str, accepted: bool) -> None:
    assert bool(re.fullmatch(EMAIL_PATTERN, address)) is accepted
    org = str(desk.world.orgs["pro"].pk)
    body = {"organisation_id": org, "email": address, "name": "Luz"}
    response = send(desk, "post", "/api/contacts", body)
    assert (response.status_code == 201) is accepted, response.content


def test_the_longest_external_id_the_document_allows_is_stored(desk: Desk) -> None:
    """provider_id is 255 characters on PostgreSQL, the API's prefix included (was a 500)."""
    longest = document()["components"]["schemas"]["TicketCreate"]["properties"]["external_id"]
    limit = next(s["maxLength"] for s in longest["anyOf"] if s.get("type") == "string")
    body = {
        "subject": "Sales missing",
        "body": "No sales since 9:00",
        "severity": "P2",
        "requester_email": "ana@pro.example",
        "external_id": "x" * limit,
    }
    response = send(desk, "post", "/api/tickets", body)
    assert response.status_code == 201, response.content
    too_long = send(desk, "post", "/api/tickets", {**body, "external_id": "y" * (limit + 1)})
    assert too_long.status_code == 422
