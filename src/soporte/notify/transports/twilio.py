"""SMS and voice calls out through Twilio's REST API (a thin client of the documented API over
``http.py``): ``POST {SOPORTE_TWILIO_API_BASE}/2010-04-01/Accounts/{AccountSid}/Messages.json``
(``To``, ``From``, ``Body``) and ``…/Calls.json`` (``To``, ``From``, ``Twiml``: what the call
says), as a form, with HTTP Basic auth (the account SID and auth token).

:func:`enqueue_sms` and :func:`enqueue_call` check what they queue (an E.164 number, the
length limits) and put it in the outbox; the transports ``sms`` and ``voice`` send it. 201 is
delivered; 4xx but 408 and 429 (a number Twilio refuses, wrong credentials) is permanent, so a
page falls back to its next transport at once; 429, 5xx, timeouts and network errors are
retried with the jobs' backoff. Twilio has no idempotency key for these requests: a worker
killed between Twilio's answer and the commit sends the SMS or call again (at least once).
"""

from __future__ import annotations

import base64
from datetime import datetime

import structlog
from django.conf import settings

from soporte import phones
from soporte.jobs.models import OutboxMessage
from soporte.jobs.outbox import PermanentDeliveryError, enqueue, transport
from soporte.notify.transports import http

log = structlog.get_logger(__name__)

API_VERSION = "2010-04-01"
MAX_BODY = 1600
"""Characters in one SMS request (Twilio splits it in segments)."""
MAX_TWIML = 4000
"""Characters of TwiML a call request may carry."""


def configured() -> bool:
    """Whether the desk can send through Twilio (account SID, auth token and a number)."""
    return all(
        (
            settings.SOPORTE_TWILIO_ACCOUNT_SID,
            settings.SOPORTE_TWILIO_AUTH_TOKEN,
            settings.SOPORTE_TWILIO_FROM,
        )
    )


def enqueue_sms(
    *, key: str, to: str, body: str, due_at: datetime, max_attempts: int | None = None
) -> OutboxMessage:
    """Queue an SMS of ``body`` to number ``to``; ``ValueError`` names a wrong argument."""
    if not body.strip() or len(body) > MAX_BODY:
        raise ValueError(f"body: expected 1-{MAX_BODY} characters, got {len(body)}")
    payload = {"to": _number(to), "body": body}
    return enqueue(
        transport="sms", key=key, payload=payload, due_at=due_at, max_attempts=max_attempts
    )


def enqueue_call(
    *, key: str, to: str, twiml: str, due_at: datetime, max_attempts: int | None = None
) -> OutboxMessage:
    """Queue a call to number ``to`` that plays the TwiML document ``twiml``."""
    if not twiml.lstrip().startswith("<?xml") or len(twiml) > MAX_TWIML:
        raise ValueError(f"twiml: expected a TwiML document of at most {MAX_TWIML} characters")
    payload = {"to": _number(to), "twiml": twiml}
    return enqueue(
        transport="voice", key=key, payload=payload, due_at=due_at, max_attempts=max_attempts
    )


@transport("sms")
def send_sms(message: OutboxMessage) -> None:
    _create("Messages", {"Body": message.payload["body"]}, message)


@transport("voice")
def send_call(message: OutboxMessage) -> None:
    _create("Calls", {"Twiml": message.payload["twiml"]}, message)


def _create(resource: str, fields: dict[str, str], message: OutboxMessage) -> None:
    if not configured():
        raise PermanentDeliveryError(
            "Twilio is not configured: set SOPORTE_TWILIO_ACCOUNT_SID, "
            "SOPORTE_TWILIO_AUTH_TOKEN and SOPORTE_TWILIO_FROM"
        )
    sid = settings.SOPORTE_TWILIO_ACCOUNT_SID
    url = f"{settings.SOPORTE_TWILIO_API_BASE}/{API_VERSION}/Accounts/{sid}/{resource}.json"
    credentials = f"{sid}:{settings.SOPORTE_TWILIO_AUTH_TOKEN}".encode()
    response = http.post_form(
        url,
        fields={"To": message.payload["to"], "From": settings.SOPORTE_TWILIO_FROM, **fields},
        headers={"Authorization": "Basic " + base64.b64encode(credentials).decode("ascii")},
        timeout=float(settings.SOPORTE_TWILIO_TIMEOUT),
    )
    http.raise_for_status(response, what=f"Twilio {resource}")
    try:
        created = response.json().get("sid")
    except (ValueError, AttributeError):
        created = None
    log.info("twilio.created", resource=resource, sid=created, key=message.idempotency_key)


def _number(raw: str) -> str:
    line = phones.e164(raw)
    if line is None:
        raise ValueError(f"to: {raw!r} is not a phone number")
    return line
