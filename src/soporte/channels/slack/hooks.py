"""``POST /hooks/slack``: the Slack app's Events API Request URL.

:func:`receive` checks the signature over the raw body (``domain.signing``: v0, five minutes)
before reading anything, then answers a ``url_verification`` with its challenge and stores an
``event_callback`` to be filed by a job (``inbound.accept``), answering once that is committed:
a retry (``X-Slack-Retry-Num``) of an event already stored is answered 200 and adds nothing.
The view answers 404 while ``SOPORTE_SLACK_SIGNING_SECRET`` is unset (the hook does not
exist), 401 for a missing, wrong or stale signature (nothing written), 400 for a signed body
that is not an Events API envelope, and 503 while the database is unavailable (Slack retries).

``POST /hooks/slack/interactions``: the app's Interactivity Request URL (a form body
``payload=<json>``, signed the same way, same answers): a ``block_actions`` press on a CSAT
survey's button is taken at once (``surveys``: a quick write; the message's update goes
through the outbox), so the empty 200 leaves well within Slack's 3 seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from soporte.channels.slack import inbound, surveys
from soporte.channels.slack.domain import interactions, signing
from soporte.channels.slack.domain.events import BadEnvelope, Challenge, Other, parse

log = structlog.get_logger(__name__)

TIMESTAMP, SIGNATURE = "X-Slack-Request-Timestamp", "X-Slack-Signature"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


REFUSED = Answer(401, {"detail": f"missing, wrong or stale {SIGNATURE}"})


def _signed(raw: bytes, *, headers: Mapping[str, str], secret: str, now: datetime) -> bool:
    if signing.verify(
        secret=secret,
        raw_body=raw,
        timestamp=headers.get(TIMESTAMP),
        signature=headers.get(SIGNATURE),
        now=now.timestamp(),
    ):
        return True
    log.warning("slack.hook_refused", signed=bool(headers.get(SIGNATURE)), bytes=len(raw))
    return False


def receive(raw: bytes, *, headers: Mapping[str, str], secret: str, now: datetime) -> Answer:
    """Answer one request whose body is ``raw``, at ``now``. Raises ``DatabaseError`` when the
    event cannot be stored."""
    if not _signed(raw, headers=headers, secret=secret, now=now):
        return REFUSED
    try:
        envelope = parse(raw)
    except BadEnvelope as exc:
        log.warning("slack.hook_unreadable", reason=str(exc))
        return Answer(400, {"detail": str(exc)})
    if isinstance(envelope, Challenge):
        return Answer(200, {"challenge": envelope.challenge})
    if isinstance(envelope, Other):
        log.info("slack.hook_ignored", type=envelope.type)
        return Answer(200, {"status": "ignored"})
    stored = inbound.accept(envelope, received_at=now)
    log.info(
        "slack.hook_received",
        event_id=envelope.event_id,
        retry=headers.get("X-Slack-Retry-Num"),
        reason=headers.get("X-Slack-Retry-Reason"),
        duplicate=not stored,
    )
    return Answer(200, {"status": "queued" if stored else "duplicate"})


def _answer(request: HttpRequest, handle: Callable[..., Answer]) -> Answer:
    """``handle`` the request (``receive`` or ``interact``) with the signing secret, now; 503
    while the database is down."""
    secret = str(settings.SOPORTE_SLACK_SIGNING_SECRET)
    if not secret:
        raise Http404("the Slack hook is not configured")
    try:
        return handle(request.body, headers=request.headers, secret=secret, now=timezone.now())
    except DatabaseError as exc:
        log.error("slack.hook_database_down", error=str(exc))
        return Answer(503, {"detail": "the desk cannot store this now; retry"})


@csrf_exempt
@require_POST
def slack_hook(request: HttpRequest) -> JsonResponse:
    answer = _answer(request, receive)
    return JsonResponse(answer.body, status=answer.status)


def interact(raw: bytes, *, headers: Mapping[str, str], secret: str, now: datetime) -> Answer:
    """Answer one interactivity request whose body is ``raw``, at ``now``: a survey press is
    taken (``surveys``) before the answer, other payloads are acknowledged and ignored. Raises
    ``DatabaseError`` when the press cannot be stored."""
    if not _signed(raw, headers=headers, secret=secret, now=now):
        return REFUSED
    try:
        payload = interactions.parse(raw)
    except interactions.BadPayload as exc:
        log.warning("slack.interaction_unreadable", reason=str(exc))
        return Answer(400, {"detail": str(exc)})
    if isinstance(payload, interactions.Other):
        log.info("slack.interaction_ignored", type=payload.type)
        return Answer(200)
    for press in payload:
        surveys.take_press(press, at=now)
    return Answer(200)


@csrf_exempt
@require_POST
def slack_interactions(request: HttpRequest) -> HttpResponse:
    answer = _answer(request, interact)
    if answer.status == 200:
        return HttpResponse(status=200)  # Slack wants an empty 200
    return JsonResponse(answer.body, status=answer.status)
