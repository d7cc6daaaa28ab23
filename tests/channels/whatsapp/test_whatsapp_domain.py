"""The channel's pure rules, to their edges: signature (protocols.md §6 vector), verification
challenge, payload reading, the 24-hour window, the conversation rule, statuses, bodies out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from whatsapp_helpers import B2, B2_SIGNATURE, message, payload, status

from soporte.channels.whatsapp.domain import outbound
from soporte.channels.whatsapp.domain import payload as wire
from soporte.channels.whatsapp.domain.signature import challenge, signature, verified
from soporte.channels.whatsapp.domain.window import (
    Continuation,
    continuation,
    reached,
    window_closes_at,
    window_open,
)

AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
SECRET = b"test_app_secret"


# --------------------------------------------------------------------------- signature


def test_the_known_answer_vector() -> None:
    assert len(B2) == 438
    assert signature(SECRET, B2) == B2_SIGNATURE
    assert verified(SECRET, B2, B2_SIGNATURE)


@pytest.mark.parametrize(
    ("secret", "body", "header"),
    [
        (b"other_secret", B2, B2_SIGNATURE),  # wrong secret
        (SECRET, B2 + b" ", B2_SIGNATURE),  # tampered body
        (SECRET, B2, None),  # missing
        (SECRET, B2, ""),
        (SECRET, B2, B2_SIGNATURE.removeprefix("sha256=")),  # no scheme
        (SECRET, B2, B2_SIGNATURE.upper()),
        (SECRET, B2, "sha256=é" + B2_SIGNATURE[8:]),  # non-ASCII never raises
        (b"", B2, signature(b"", B2)),  # no secret configured verifies nothing
    ],
)
def test_a_wrong_or_missing_signature_is_refused(
    secret: bytes, body: bytes, header: str | None
) -> None:
    assert not verified(secret, body, header)


@pytest.mark.parametrize(
    ("mode", "token", "value", "expected"),
    [
        ("subscribe", "tok", "1158201444", "1158201444"),
        ("subscribe", "tok2", "1158201444", None),
        ("subscribe", "to", "1158201444", None),
        ("unsubscribe", "tok", "1158201444", None),
        (None, "tok", "1158201444", None),
        ("subscribe", None, "1158201444", None),
        ("subscribe", "tok", None, None),
        ("subscribe", "tök", "1", None),
    ],
)
def test_the_verification_challenge(
    mode: str | None, token: str | None, value: str | None, expected: str | None
) -> None:
    assert challenge(mode=mode, token=token, value=value, verify_token="tok") == expected
    assert challenge(mode=mode, token=token, value=value, verify_token="") is None


# --------------------------------------------------------------------------- payload


def test_the_vector_body_reads_as_one_text() -> None:
    delivery = wire.parse(B2)
    [inbound] = delivery.messages
    assert (inbound.wamid, inbound.sender, inbound.business) == (
        "wamid.TEST1",
        "16505551234",
        "106540352242922",
    )
    assert (inbound.kind, inbound.text, inbound.profile_name) == (
        "text",
        "Hola, necesito ayuda",
        "Sheena Nelson",
    )
    assert inbound.sent_at == datetime(2025, 6, 8, 20, 59, 43, tzinfo=UTC)


def test_every_entry_change_message_and_status_is_read() -> None:
    value = json.loads(payload(message("w1", at=AT), statuses=[status("s1", "read", at=AT)]))
    change = value["entry"][0]["changes"][0]
    value["entry"][0]["changes"].append(json.loads(json.dumps(change)))
    value["entry"].append({"id": "other", "changes": [json.loads(json.dumps(change))]})
    delivery = wire.parse(json.dumps(value).encode())
    assert [m.wamid for m in delivery.messages] == ["w1", "w1", "w1"]
    assert [s.status for s in delivery.statuses] == ["read", "read", "read"]


@pytest.mark.parametrize(
    ("kind", "part", "expected"),
    [
        ("text", {"text": {"body": " hi "}}, {"text": "hi"}),
        (
            "interactive",
            {"interactive": {"type": "button_reply", "button_reply": {"id": "b1", "title": "Sí"}}},
            {"text": "Sí"},
        ),
        (
            "interactive",
            {"interactive": {"type": "list_reply", "list_reply": {"id": "r", "title": "Ruta 5"}}},
            {"text": "Ruta 5"},
        ),
        ("button", {"button": {"payload": "P", "text": "Confirmar"}}, {"text": "Confirmar"}),
        (
            "image",
            {"image": {"id": "m1", "mime_type": "image/jpeg", "caption": "roto"}},
            {"media": wire.Media("image", "m1", "image/jpeg", "", "roto")},
        ),
        (
            "audio",
            {"audio": {"id": "m2", "mime_type": "audio/ogg; codecs=opus", "voice": True}},
            {"media": wire.Media("audio", "m2", "audio/ogg; codecs=opus", voice=True)},
        ),
        (
            "document",
            {"document": {"id": "m3", "filename": "f.pdf", "mime_type": "application/pdf"}},
            {"media": wire.Media("document", "m3", "application/pdf", "f.pdf")},
        ),
        ("video", {"video": {"id": "m4"}}, {"media": wire.Media("video", "m4")}),
        (
            "sticker",
            {"sticker": {"id": "m5", "mime_type": "image/webp"}},
            {"media": wire.Media("sticker", "m5", "image/webp")},
        ),
        (
            "location",
            {"location": {"latitude": 25.6866, "longitude": -100.3161, "name": "Planta"}},
            {"location": wire.Location(25.6866, -100.3161, "Planta")},
        ),
        (
            "contacts",
            {"contacts": [{"name": {"formatted_name": "Luis"}, "phones": [{"phone": "+52 81 1"}]}]},
            {"contacts": (wire.SharedContact("Luis", ("+52 81 1",)),)},
        ),
        (
            "reaction",
            {"reaction": {"message_id": "wamid.X", "emoji": "👍"}},
            {"reaction": wire.Reaction("wamid.X", "👍")},
        ),
        (
            "unsupported",
            {"errors": [{"code": 131051, "title": "Message type unknown"}]},
            {"kind": "unsupported", "unsupported": "Message type unknown"},
        ),
        ("ephemeral", {"ephemeral": {}}, {"kind": "unsupported", "unsupported": "ephemeral"}),
        ("image", {"image": {}}, {"kind": "unsupported", "unsupported": "image"}),
    ],
)
def test_each_message_type(kind: str, part: dict[str, object], expected: dict[str, object]) -> None:
    [inbound] = wire.parse(payload(message("w", at=AT, kind=kind, **part))).messages
    for name, value in expected.items():
        assert getattr(inbound, name) == value


def test_a_reply_names_the_message_it_answers() -> None:
    raw = payload(message("w", at=AT, context={"from": "1555", "id": "wamid.EARLIER"}))
    assert wire.parse(raw).messages[0].reply_to == "wamid.EARLIER"


def test_a_message_without_id_or_sender_is_skipped_by_name() -> None:
    value = json.loads(payload(message("w", at=AT)))
    item = value["entry"][0]["changes"][0]["value"]["messages"][0]
    value["entry"][0]["changes"][0]["value"]["messages"].append({**item, "id": ""})
    delivery = wire.parse(json.dumps(value).encode())
    assert [m.wamid for m in delivery.messages] == ["w"]
    assert delivery.skipped == ["entry[0].changes[0].value.messages[1]: no id or no sender"]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"not json", "the body is not JSON"),
        (b"\xff", "the body is not JSON"),
        (b"[]", "the body is not a JSON object"),
        (b"{}", "entry: expected a list"),
        (b'{"entry":[{}]}', r"entry\[0\].changes: expected a list"),
        (b'{"entry":[{"changes":[{"value":3}]}]}', r"entry\[0\].changes\[0\].value: expected"),
    ],
)
def test_a_body_that_is_not_a_webhook_is_named(raw: bytes, problem: str) -> None:
    with pytest.raises(wire.PayloadError, match=problem):
        wire.parse(raw)


def test_status_errors_and_a_bad_timestamp() -> None:
    errors = [{"code": 131047, "title": "Re-engagement message", "error_data": {"details": "24h"}}]
    raw = payload(statuses=[{**status("s", "failed", at=AT), "errors": errors, "timestamp": "x"}])
    [update] = wire.parse(raw).statuses
    assert (update.status, update.at, update.errors) == (
        "failed",
        None,
        ("131047 Re-engagement message 24h",),
    )


# --------------------------------------------------------------------------- window


@pytest.mark.parametrize(
    ("since", "is_open"),
    [
        (timedelta(0), True),
        (timedelta(hours=23, minutes=59, seconds=59), True),
        (timedelta(hours=24), False),
        (timedelta(days=3), False),
        (-timedelta(minutes=1), True),  # the provider's clock a little ahead
    ],
)
def test_the_24_hour_window(since: timedelta, is_open: bool) -> None:
    assert window_open(AT - since, AT) is is_open
    assert window_closes_at(AT - since) == AT - since + timedelta(hours=24)


def test_no_inbound_message_no_window() -> None:
    assert not window_open(None, AT)
    assert window_closes_at(None) is None


@pytest.mark.parametrize(
    ("resolved", "solved_ago", "expected"),
    [
        (None, None, Continuation.NEW),
        (False, None, Continuation.APPEND),
        (True, timedelta(0), Continuation.REOPEN),
        (True, timedelta(days=7), Continuation.REOPEN),
        (True, timedelta(days=7, seconds=1), Continuation.LINKED),
        (True, timedelta(days=30), Continuation.LINKED),
        (True, None, Continuation.LINKED),
    ],
)
def test_the_conversation_rule(
    resolved: bool | None, solved_ago: timedelta | None, expected: Continuation
) -> None:
    solved_at = AT - solved_ago if solved_ago is not None else None
    assert continuation(resolved=resolved, solved_at=solved_at, at=AT, reopen_days=7) == expected


def test_reopen_days_zero_reopens_only_at_once() -> None:
    assert continuation(resolved=True, solved_at=AT, at=AT, reopen_days=0) == Continuation.REOPEN
    later = AT + timedelta(seconds=1)
    assert continuation(resolved=True, solved_at=AT, at=later, reopen_days=0) == Continuation.LINKED


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], None),
        (["sent"], "sent"),
        (["read", "delivered"], "read"),
        (["delivered", "sent", "read"], "read"),
        (["sent", "failed"], "failed"),
        (["mystery", "sent"], "sent"),
        (["mystery"], "mystery"),
    ],
)
def test_a_status_is_the_highest_reported(statuses: list[str], expected: str | None) -> None:
    assert reached(statuses) == expected


# --------------------------------------------------------------------------- out


def test_a_text_reply() -> None:
    [body] = outbound.text_messages("5218126982507", "Hola", reply_to="wamid.A")
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5218126982507",
        "type": "text",
        "text": {"preview_url": False, "body": "Hola"},
        "context": {"message_id": "wamid.A"},
    }


def test_a_long_reply_is_cut_between_words_in_4096_character_pieces() -> None:
    text = ("palabra " * 1200).strip()
    pieces = outbound.chunks(text, 4096)
    assert len(pieces) == 3
    assert all(len(p) <= 4096 for p in pieces)
    assert " ".join(pieces) == text
    assert outbound.chunks("x" * 5000, 4096) == ["x" * 4096, "x" * 904]
    assert outbound.chunks("a\n\nb", 3) == ["a", "b"]
    assert outbound.chunks("   ", 10) == []


def test_a_template_with_its_parameters_on_one_line() -> None:
    body = outbound.template_message(
        "52811", name="soporte_respuesta", language="es", params=["7", "a\nb\t c", ""]
    )
    assert body["template"] == {
        "name": "soporte_respuesta",
        "language": {"code": "es_MX"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "7"},
                    {"type": "text", "text": "a b c"},
                    {"type": "text", "text": "-"},
                ],
            }
        ],
    }
    assert len(outbound.parameter("x" * 5000)) == outbound.MAX_PARAMETER
    with pytest.raises(ValueError, match="template: a name is required"):
        outbound.template_message("52811", name=" ", language="en", params=[])


@pytest.mark.parametrize(
    ("mime", "kind"),
    [
        ("image/png", "image"),
        ("image/jpeg", "image"),
        ("image/webp", "document"),
        ("video/mp4", "video"),
        ("video/webm", "document"),
        ("audio/ogg", "audio"),
        ("application/pdf", "document"),
        ("", "document"),
    ],
)
def test_how_a_file_is_sent(mime: str, kind: str) -> None:
    assert outbound.media_kind(mime) == kind


def test_a_media_message_and_its_refusals() -> None:
    body = outbound.media_message(
        "52811", kind="document", media_id="m", caption="c", filename="f.pdf"
    )
    assert body["document"] == {"id": "m", "caption": "c", "filename": "f.pdf"}
    with pytest.raises(ValueError, match="type: expected one of"):
        outbound.media_message("52811", kind="gif", media_id="m")
    with pytest.raises(ValueError, match="to: a recipient is required"):
        outbound.text_messages(" ", "x")
