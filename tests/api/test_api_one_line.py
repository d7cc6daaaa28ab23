"""A subject is one line (``soporte.text.one_line``): line breaks and controls are folded at
intake, and a subject of spaces and invisible characters is a 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Desk

from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def post(desk: Desk, **fields: Any) -> Any:
    body = {"subject": "Caído", "body": "Nada carga", "severity": "P2", **fields}
    return desk.client("contact_a").post("/api/tickets", body, content_type="application/json")


def test_a_subject_and_the_one_line_intake_fields_are_stored_as_one_line(desk: Desk) -> None:
    response = post(
        desk,
        subject="Caído\r\nBcc: todos@example.com\t ",
        intake={"url": "https://app/x\n", "browser_os": "Chrome\u200b\n123", "expected": "a\nb"},
    )

    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.subject == response.json()["subject"] == "Caído Bcc: todos@example.com"
    assert (ticket.intake_url, ticket.intake_browser_os) == ("https://app/x", "Chrome 123")
    assert ticket.intake_expected == "a\nb"


@pytest.mark.parametrize("subject", ["\u200b", " \u200b\u2060 ", "\r\n\t", "\ufeff\u200d"])
def test_a_subject_with_nothing_visible_is_422_naming_the_subject(desk: Desk, subject: str) -> None:
    response = post(desk, subject=subject)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["field"], error["source"]) == ("subject", "body")
    assert "blank" in error["message"]


def test_a_body_of_invisible_characters_is_422(desk: Desk) -> None:
    response = post(desk, body="\u200b\u200b")

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "body"


def test_an_organisations_and_a_contacts_name_are_one_line(desk: Desk) -> None:
    admin = desk.client("admin")
    org = admin.post(
        "/api/organisations",
        {"name": "Café\r\nExpress", "plan": "pro"},
        content_type="application/json",
    )
    contact = admin.post(
        "/api/contacts",
        {"organisation_id": org.json()["id"], "email": "eva@cafe.example", "name": "Eva\nRuiz"},
        content_type="application/json",
    )

    assert (org.status_code, contact.status_code) == (201, 201)
    assert (org.json()["name"], contact.json()["name"]) == ("Café Express", "Eva Ruiz")
