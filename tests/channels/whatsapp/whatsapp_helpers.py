"""Meta's side of the webhook, for tests: payloads as WhatsApp sends them (protocols.md §3.3-3.4),
signed with the app secret and posted to ``/hooks/whatsapp``."""

from __future__ import annotations

import hashlib
import hmac
import json
from contextlib import nullcontext
from datetime import datetime
from typing import Any

import time_machine
from django.test import Client
from fake_graph import PHONE_NUMBER_ID

APP_SECRET = "test_app_secret"
VERIFY_TOKEN = "verify-me-please"
BUSINESS = "15550783881"
# protocols.md §6.2: the known-answer body and its signature with "test_app_secret".
B2 = b'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.TEST1","timestamp":"1749416383","type":"text","text":{"body":"Hola, necesito ayuda"}}]},"field":"messages"}]}]}'  # noqa: E501
B2_SIGNATURE = "sha256=e45c292bd2b071547fdd258aec15616a24dfc4dee8e68c9cb1f3b28e822ec1bb"


def sign(raw: bytes, secret: str = APP_SECRET) -> str:
    """Written here from protocols.md §6.3, independently of soporte's own."""
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def message(
    wamid: str, *, at: datetime, sender: str = "5218126982507", kind: str = "text", **part: Any
) -> dict[str, Any]:
    """One ``messages[]`` item; ``part`` is the object of its type (``text={"body": ...}``),
    or top-level keys such as ``context``."""
    item: dict[str, Any] = {
        "from": sender,
        "id": wamid,
        "timestamp": str(int(at.timestamp())),
        "type": kind,
    }
    if kind == "text" and "text" not in part:
        part["text"] = {"body": "Hola"}
    item.update(part)
    return item


def text(
    wamid: str, body: str, *, at: datetime, sender: str = "5218126982507", **extra: Any
) -> dict[str, Any]:
    return message(wamid, at=at, sender=sender, text={"body": body}, **extra)


def status(wamid: str, state: str, *, at: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "id": wamid,
        "status": state,
        "timestamp": str(int(at.timestamp())),
        "recipient_id": "5218126982507",
        **extra,
    }


def payload(
    *messages: dict[str, Any],
    statuses: list[dict[str, Any]] | None = None,
    name: str = "Pedro Campo",
) -> bytes:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": BUSINESS, "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages:
        senders = sorted({m["from"] for m in messages})
        value["contacts"] = [{"profile": {"name": name}, "wa_id": s} for s in senders]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }
    return json.dumps(body).encode()


def post(
    raw: bytes,
    *,
    signature: str | None = "sign",
    client: Client | None = None,
    now: datetime | None = None,
) -> Any:
    """POST ``raw`` to the hook, signed; at ``now`` (the desk's clock travels there) if given."""
    headers = {}
    if signature is not None:
        headers["X-Hub-Signature-256"] = sign(raw) if signature == "sign" else signature
    client = client or Client(enforce_csrf_checks=True)
    with time_machine.travel(now, tick=False) if now else nullcontext():
        return client.post(
            "/hooks/whatsapp", data=raw, content_type="application/json", headers=headers
        )
