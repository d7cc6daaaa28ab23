"""Who a ticket opened by an integration is for: a contact by id or by email address."""

from __future__ import annotations

import json
from typing import Any

from api_helpers import Desk
from django.contrib.auth import get_user_model

from soporte.accounts.models import Contact

BODY = {"subject": "Sin ventas", "body": "Desde las 9:00", "severity": "P2", "channel": "email"}


def _open(desk: Desk, **who: Any) -> Any:
    body = json.dumps({**BODY, **who})
    return desk.client("t1").post("/api/tickets", body, content_type="application/json")


def test_by_email_in_any_case(desk: Desk) -> None:
    answer = _open(desk, requester_email="  Ana@PRO.example ")
    assert answer.status_code == 201
    assert answer.json()["requester"]["email"] == "ana@pro.example"


def test_by_email_when_the_account_was_made_by_hand(desk: Desk, world: Any) -> None:
    # An admin made this user: the username is not the address, the address has capitals.
    user = get_user_model().objects.create_user(username="luis", email="Luis@Pro.example")
    luis = Contact.objects.create(user=user, organisation=world.orgs["pro"], name="Luis")
    # Another account whose username is Luis's address must not be taken for him.
    get_user_model().objects.create_user(username="luis@pro.example", email="otro@pro.example")
    answer = _open(desk, requester_email="luis@pro.example")
    assert answer.status_code == 201
    assert answer.json()["requester"]["id"] == luis.pk


def test_unknown_email_names_the_field(desk: Desk) -> None:
    answer = _open(desk, requester_email="nadie@pro.example")
    assert answer.status_code == 422
    assert "requester_email" in json.dumps(answer.json())
