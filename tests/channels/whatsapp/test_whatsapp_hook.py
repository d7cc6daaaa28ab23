"""``/hooks/whatsapp``: the verification challenge, the signature before anything, 200 after
the commit, idempotent on the wamid, 503 while the database fails."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from whatsapp_helpers import B2, B2_SIGNATURE, VERIFY_TOKEN, payload, post, status, text

from soporte.channels.whatsapp.models import WhatsAppSender, WhatsAppStatus
from soporte.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def verify(**params: str) -> Any:
    return Client().get("/hooks/whatsapp", params)


def test_the_verification_challenge_is_answered_raw(world: Any, whatsapp: Any) -> None:
    response = verify(
        **{"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {},
    ],
)
def test_a_wrong_verification_is_403(world: Any, whatsapp: Any, params: dict[str, str]) -> None:
    assert verify(**params).status_code == 403


def test_without_configuration_the_hook_does_not_exist(world: Any, settings: Any) -> None:
    settings.SOPORTE_WHATSAPP_APP_SECRET = ""
    settings.SOPORTE_WHATSAPP_VERIFY_TOKEN = ""
    assert post(B2, signature=B2_SIGNATURE).status_code == 404
    assert (
        verify(
            **{"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
        ).status_code
        == 404
    )
    assert not Ticket.objects.exists()


def test_the_known_answer_vector_files_one_ticket(world: Any, whatsapp: Any) -> None:
    response = post(B2, signature=B2_SIGNATURE)

    assert response.status_code == 200
    [result] = response.json()["messages"]
    assert (result["id"], result["outcome"]) == ("wamid.TEST1", "created")
    ticket = Ticket.objects.get(pk=result["ticket"])
    assert (ticket.channel, ticket.requester.name) == ("whatsapp", "Sheena Nelson")
    assert ticket.requester.organisation.unidentified
    assert ticket.messages.first().body == "<p>Hola, necesito ayuda</p>"
    assert ticket.opened_at == datetime(2025, 6, 8, 20, 59, 43, tzinfo=UTC)  # WhatsApp's time


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=" + "0" * 64,
        B2_SIGNATURE.removeprefix("sha256="),
        "sha256=" + B2_SIGNATURE[7:].upper(),
    ],
)
def test_a_wrong_or_missing_signature_is_401_and_writes_nothing(
    world: Any, whatsapp: Any, signature: str | None
) -> None:
    response = post(B2, signature=signature)

    assert response.status_code == 401
    assert "X-Hub-Signature-256" in response.json()["detail"]
    assert not Ticket.objects.exists()
    assert not WhatsAppSender.objects.exists()


def test_a_body_signed_with_another_secret_is_refused(world: Any, whatsapp: Any) -> None:
    whatsapp.SOPORTE_WHATSAPP_APP_SECRET = "rotated_secret"
    assert post(B2, signature=B2_SIGNATURE).status_code == 401


def test_three_retries_file_one_message(world: Any, whatsapp: Any) -> None:
    raw = payload(text("wamid.R1", "Se cayó la ruta", at=AT))

    answers = [post(raw) for _ in range(4)]

    assert [a.status_code for a in answers] == [200] * 4
    assert [a.json()["messages"][0]["outcome"] for a in answers] == ["created"] + ["duplicate"] * 3
    assert Ticket.objects.count() == 1
    assert Message.objects.filter(provider_id="wamid.R1").count() == 1


def test_the_database_down_is_503_then_the_retry_files_it_once(world: Any, whatsapp: Any) -> None:
    raw = payload(text("wamid.DB1", "Hola", at=AT))
    failures = 0

    def down(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        nonlocal failures
        if sql.lstrip().upper().startswith("INSERT"):
            failures += 1
            raise OperationalError("database is unavailable")
        return execute(sql, *args)

    with connection.execute_wrapper(down):
        response = post(raw)

    assert failures
    assert response.status_code == 503
    assert not Ticket.objects.exists()
    retry = post(raw)
    assert retry.status_code == 200
    assert retry.json()["messages"][0]["outcome"] == "created"
    assert Message.objects.filter(provider_id="wamid.DB1").count() == 1


def test_a_signed_body_that_is_not_a_webhook_is_400(world: Any, whatsapp: Any) -> None:
    response = post(b'{"entry": 3}')
    assert response.status_code == 400
    assert response.json()["detail"] == "entry: expected a list"


def test_several_messages_and_statuses_in_one_delivery(world: Any, whatsapp: Any) -> None:
    raw = payload(
        text("wamid.M1", "uno", at=AT),
        text("wamid.M2", "dos", at=AT),
        text("wamid.M3", "otro número", at=AT, sender="5215512345678"),
        statuses=[status("wamid.OUT", "delivered", at=AT), status("wamid.OUT", "read", at=AT)],
    )
    body = post(raw).json()

    assert [m["outcome"] for m in body["messages"]] == ["created", "appended", "created"]
    assert body["messages"][0]["ticket"] == body["messages"][1]["ticket"]
    assert body["statuses"] == 2
    assert Ticket.objects.count() == 2
    assert WhatsAppStatus.objects.filter(wamid="wamid.OUT").count() == 2
    assert post(raw).json()["statuses"] == 0


def test_get_and_post_only(world: Any, whatsapp: Any) -> None:
    assert Client().put("/hooks/whatsapp").status_code == 405
