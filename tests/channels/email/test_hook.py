"""``POST /hooks/email``: the shared secret, the size limit, the result as JSON, idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from ingest_helpers import raw

from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

SECRET = "s3cret-hook-value"


@pytest.fixture
def hooked(settings: Any) -> Any:
    settings.SOPORTE_EMAIL_HOOK_SECRET = SECRET
    return settings


def post(body: bytes, secret: str | None = SECRET) -> Any:
    headers = {"X-Soporte-Hook-Secret": secret} if secret is not None else {}
    client = Client(enforce_csrf_checks=True)
    return client.post("/hooks/email", data=body, content_type="message/rfc822", headers=headers)


def test_without_a_configured_secret_the_hook_does_not_exist(world: Any, settings: Any) -> None:
    settings.SOPORTE_EMAIL_HOOK_SECRET = ""

    assert post(raw()).status_code == 404
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_a_wrong_secret_is_refused(world: Any, hooked: Any, secret: str | None) -> None:
    response = post(raw(), secret=secret)

    assert response.status_code == 401
    assert "X-Soporte-Hook-Secret" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_a_message_files_once_with_the_result_as_json(world: Any, hooked: Any) -> None:
    message = raw(message_id="<hook@client.example>")

    first, second = post(message), post(message)

    assert first.status_code == 201
    body = first.json()
    assert set(body) == {"outcome", "ticket", "message_id", "from", "subject", "text", "reason"}
    assert (body["outcome"], body["from"]) == ("created", "ana@starter.example")
    assert (second.status_code, second.json()["outcome"]) == (200, "duplicate")
    assert second.json()["ticket"] == body["ticket"]
    assert Ticket.objects.count() == 1


def test_a_message_over_the_limit_is_413(world: Any, hooked: Any) -> None:
    hooked.SOPORTE_EMAIL_MAX_BYTES = 1000

    response = post(raw(body="x" * 2000))

    assert response.status_code == 413
    assert not Ticket.objects.exists()


def test_an_empty_body_is_400(world: Any, hooked: Any) -> None:
    assert post(b"").status_code == 400


def test_get_is_not_allowed(world: Any, hooked: Any) -> None:
    assert Client().get("/hooks/email").status_code == 405
