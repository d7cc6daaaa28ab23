"""One error shape everywhere, the field at fault named, and never a 5xx."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from api_helpers import Desk, png_upload
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from soporte.tickets import services

pytestmark = pytest.mark.django_db


def admin(desk: Desk) -> Client:
    return desk.client("admin")


def post(client: Client, path: str, body: Any) -> Any:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json")


def fields(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["source"] for e in response.json()["detail"]}


def test_bad_json_and_non_utf8_bodies_are_400_in_the_error_shape(desk: Desk) -> None:
    for body in [b"{not json", b"\xff\xfe\xfa", b'{"subject": "\xc3\x28"}']:
        response = post(admin(desk), "/api/tickets", body)
        assert response.status_code == 400, body
        assert isinstance(response.json()["detail"], str)


def test_invalid_input_names_each_field_and_where_it_was_sent(desk: Desk) -> None:
    response = post(admin(desk), "/api/tickets", {"subject": "", "severity": "P9"})

    assert fields(response) == {"subject": "body", "body": "body", "severity": "body"}
    assert all(e["message"] for e in response.json()["detail"])
    assert fields(admin(desk).get("/api/tickets?limit=0&severity=P7")) == {
        "limit": "query",
        "severity": "query",
    }
    not_an_object = post(admin(desk), "/api/tickets", [1, 2])
    assert not_an_object.status_code == 400
    assert not_an_object.json()["detail"].endswith("the body must be a JSON object")


def test_a_field_the_operation_does_not_know_is_422_and_nothing_is_written(desk: Desk) -> None:
    """``internal`` is not a field (``kind`` is): ignoring it would send a note to the customer."""
    ticket = desk.t2_ticket
    before = ticket.messages.count()
    response = post(
        desk.client("t2"), f"/api/tickets/{ticket.pk}/messages", {"body": "x", "internal": True}
    )

    assert fields(response) == {"internal": "body"}
    assert ticket.messages.count() == before
    body = admin(desk).get("/api/openapi.json").json()["components"]["schemas"]["MessageIn"]
    assert body["additionalProperties"] is False


def test_invalid_instants_are_422_naming_the_field(desk: Desk) -> None:
    """A number is not an instant (pydantic would read it as seconds since 1970)."""
    for value in ["0.5", "1733390000", "2026-12-01"]:
        response = admin(desk).get(f"/api/tickets?updated_since={value}")
        assert fields(response) == {"updated_since": "query"}, value


@pytest.mark.parametrize(
    "subject",
    ["nul \x00 inside", "lone \ud800 surrogate", "x" * 201, "   ", 12, None, ["a"]],
    ids=["nul", "surrogate", "too-long", "blank", "int", "null", "list"],
)
def test_text_neither_database_can_store_is_422_not_500(desk: Desk, subject: Any) -> None:
    body = {"subject": subject, "body": "b", "severity": "P2", "requester_id": 1}

    assert "subject" in fields(post(admin(desk), "/api/tickets", body))


@pytest.mark.parametrize(
    "path",
    [
        "/api/tickets/99999999999999999999999999",
        "/api/tickets/-1",
        "/api/tickets/0",
        "/api/tickets/1e3",
        "/api/tickets/%00",
        "/api/attachments/abc",
        "/api/contacts/18446744073709551616",
        "/api/organisations/not-a-uuid",
        "/api/organisations/%F0%9F%92%A9",
    ],
)
def test_absurd_ids_are_422_naming_the_path_parameter(desk: Desk, path: str) -> None:
    response = admin(desk).get(path)

    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["source"] == "path"


def test_unknown_and_invisible_tickets_are_both_404(desk: Desk) -> None:
    missing = admin(desk).get("/api/tickets/987654")
    hidden = desk.client("contact_b").get(f"/api/tickets/{desk.t1_ticket.pk}")
    other_org = desk.client("contact_b").get(f"/api/tickets/{desk.t1_ticket.pk}/sla")

    assert [missing.status_code, hidden.status_code, other_org.status_code] == [404, 404, 404]
    assert missing.json() == {"detail": "ticket 987654 not found"}
    assert hidden.json() == {"detail": f"ticket {desk.t1_ticket.pk} not found"}


def test_a_ticket_an_agent_may_read_but_not_work_is_403_on_a_change(desk: Desk) -> None:
    t1 = desk.client("t1")
    ticket = desk.t2_ticket.pk

    assert t1.get(f"/api/tickets/{ticket}").status_code == 200
    refused = post(t1, f"/api/tickets/{ticket}/messages", {"body": "Hola"})
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": f"ticket {ticket} is at T2: agents at T2 or assigned to it work it, "
        "others may read it"
    }


def test_a_change_the_ticket_cannot_take_is_409_with_the_reason(desk: Desk) -> None:
    ticket = desk.t2_ticket
    services.escalate(
        ticket=ticket, actor=desk.world.agents["t2"], reason="code bug", at=timezone.now()
    )

    response = post(admin(desk), f"/api/tickets/{ticket.pk}/escalate", {"reason": "again"})

    assert response.status_code == 409
    assert "last tier" in response.json()["detail"]


def test_reference_to_a_missing_row_in_a_body_is_422_on_that_field(desk: Desk) -> None:
    base = {"subject": "s", "body": "b", "severity": "P1"}
    client = admin(desk)

    assert fields(post(client, "/api/tickets", {**base, "requester_email": "no@x.example"})) == {
        "requester_email": "body"
    }
    assert fields(post(client, "/api/tickets", {**base, "requester_id": 424242})) == {
        "requester_id": "body"
    }
    assert fields(post(client, "/api/tickets", base)) == {"requester_id": "body"}
    patch = client.patch(
        f"/api/tickets/{desk.t2_ticket.pk}",
        json.dumps({"assignee_id": 424242}),
        content_type="application/json",
    )
    assert fields(patch) == {"assignee_id": "body"}
    org = {"organisation_id": "00000000-0000-0000-0000-000000000000", "email": "a@b.example"}
    assert fields(post(client, "/api/contacts", {**org, "name": "A"})) == {
        "organisation_id": "body"
    }


def test_received_at_must_be_recent_and_not_in_the_future(desk: Desk) -> None:
    contact = desk.world.contacts["pro"].pk
    base = {"subject": "s", "body": "b", "severity": "P1", "requester_id": contact}
    for when in [timezone.now() + timedelta(hours=1), timezone.now() - timedelta(days=400)]:
        body = {**base, "received_at": when.isoformat()}
        assert fields(post(admin(desk), "/api/tickets", body)) == {"received_at": "body"}
    naive = {**base, "received_at": "2026-01-05T10:00:00"}
    assert fields(post(admin(desk), "/api/tickets", naive)) == {"received_at": "body"}


def test_a_duplicate_contact_email_is_409(desk: Desk) -> None:
    body = {
        "organisation_id": str(desk.world.orgs["pro"].pk),
        "email": "Ana@Starter.example",
        "name": "Ana again",
    }

    response = post(admin(desk), "/api/contacts", body)

    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


def test_contact_fields_are_validated(desk: Desk) -> None:
    body = {
        "organisation_id": str(desk.world.orgs["pro"].pk),
        "email": "not an email",
        "name": "X",
        "time_zone": "../../etc/passwd",
        "locale": "fr",
    }

    assert fields(post(admin(desk), "/api/contacts", body)) == {
        "email": "body",
        "time_zone": "body",
        "locale": "body",
    }


def test_uploads_that_are_not_screenshots_are_422_on_the_file(desk: Desk) -> None:
    client = admin(desk)
    path = f"/api/tickets/{desk.t2_ticket.pk}/attachments"

    bad = client.post(path, {"file": SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image")})
    missing = client.post(path, {})
    garbage = client.post(path, b"--xx\r\ngarbage", content_type="multipart/form-data; boundary=xx")
    no_boundary = client.post(path, b"abc", content_type="multipart/form-data")

    assert fields(bad) == {"file": "file"}
    assert "no es una captura de pantalla" in bad.json()["detail"][0]["message"]
    assert missing.status_code == 422
    assert garbage.status_code in (400, 422)
    assert no_boundary.status_code in (400, 422)


NASTY: list[Any] = [
    "\x00",
    "\ud800",
    "𝕏" * 300,
    "' OR 1=1 --",
    -(2**70),
    2**70,
    1e308,
    True,
    None,
    {"$gt": ""},
    [[[[[]]]]],
]


@pytest.mark.parametrize("value", NASTY)
def test_no_input_makes_a_5xx(desk: Desk, value: Any) -> None:
    client = admin(desk)
    t = desk.t2_ticket.pk
    text = str(value) if str(value).isprintable() or "\x00" in str(value) else ascii(value)
    calls = [
        post(client, "/api/tickets", {"subject": value, "body": value, "severity": value}),
        post(
            client,
            "/api/tickets",
            {
                "subject": "s",
                "body": "b",
                "severity": "P1",
                "requester_id": value,
                "intake": {"url": value},
            },
        ),
        client.patch(
            f"/api/tickets/{t}",
            json.dumps({"status": value, "assignee_id": value}),
            content_type="application/json",
        ),
        post(client, f"/api/tickets/{t}/escalate", {"reason": value, "code_bug": value}),
        post(client, f"/api/tickets/{t}/messages", {"body": value, "kind": value}),
        post(client, "/api/organisations", {"name": value, "plan": "pro", "csm_id": value}),
        post(client, "/api/contacts", {"organisation_id": value, "email": value, "name": value}),
        client.get("/api/tickets", {"tier": text, "offset": text}),
        client.get("/api/contacts", {"organisation_id": text}),
        client.get(f"/api/tickets/{t}/sla", {"lang": text}),
    ]
    for response in calls:
        assert response.status_code < 500, response.content
        assert "detail" in response.json() or response.status_code < 300


def test_unsupported_methods_are_405_not_500(desk: Desk) -> None:
    assert admin(desk).delete(f"/api/tickets/{desk.t2_ticket.pk}").status_code == 405
    assert admin(desk).put("/api/tickets").status_code == 405


def test_an_oversized_upload_is_422(desk: Desk, settings: Any) -> None:
    settings.SOPORTE_MAX_UPLOAD_BYTES = 16

    response = admin(desk).post(
        f"/api/tickets/{desk.t2_ticket.pk}/attachments", {"file": png_upload()}
    )

    assert fields(response) == {"file": "file"}
