"""The generic signed webhook: a JSON POST to the payload's URL.

Headers: ``Idempotency-Key: <outbox key>`` (the same on every re-send, so the receiver can drop
a duplicate) and ``X-Soporte-Signature: v1=<hex HMAC-SHA256(SOPORTE_WEBHOOK_SECRET, raw
body)>``. 2xx is delivered; 4xx other than 408 and 429 is permanent; anything else (and network
failures) is retried with the jobs' backoff.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import structlog
from django.conf import settings

from soporte.jobs.models import OutboxMessage
from soporte.jobs.outbox import PermanentDeliveryError, enqueue, transport
from soporte.notify.transports import http
from soporte.notify.transports.pagerduty import pagerduty_signature

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-Soporte-Signature"


def webhook_signature(secret: bytes, raw_body: bytes) -> str:
    """``X-Soporte-Signature``: the same ``v1=<hex HMAC-SHA256>`` scheme PagerDuty signs with."""
    return pagerduty_signature(secret, raw_body)


def enqueue_webhook(*, key: str, url: str, body: Any, due_at: datetime) -> OutboxMessage:
    """Queue a signed POST of the JSON value ``body`` to ``url``, due at ``due_at``; see
    ``outbox.enqueue``."""
    _check_url(url)
    try:
        json.dumps(body)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"body: not serialisable as JSON ({exc})") from None
    return enqueue(transport="webhook", key=key, payload={"url": url, "body": body}, due_at=due_at)


@transport("webhook")
def send_webhook(message: OutboxMessage) -> None:
    payload = message.payload
    url = payload.get("url")
    try:
        _check_url(url)
    except ValueError as exc:
        raise PermanentDeliveryError(str(exc)) from None
    secret = str(settings.SOPORTE_WEBHOOK_SECRET or "")
    if not secret:
        raise PermanentDeliveryError("SOPORTE_WEBHOOK_SECRET is not set: refusing to send unsigned")
    raw = json.dumps(payload.get("body"), separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Idempotency-Key": message.idempotency_key,
        SIGNATURE_HEADER: webhook_signature(secret.encode(), raw),
    }
    response = http.post_json(
        str(url), content=raw, headers=headers, timeout=float(settings.SOPORTE_WEBHOOK_TIMEOUT)
    )
    http.raise_for_status(response, what=f"webhook {urlsplit(str(url)).netloc}")
    log.info("webhook.delivered", key=message.idempotency_key, status=response.status_code)


def _check_url(url: Any) -> None:
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"url: expected an http(s) URL, got {url!r}")
