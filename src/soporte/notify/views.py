"""Webhooks from notification providers: ``POST /hooks/pagerduty``.

Reads the raw body, verifies the signature in constant time, answers 2xx at once to every
verified delivery (PagerDuty disables a subscription after three dropped ones), even one it
ignores (a body too deeply nested to read is a 400), and leaves the work to a job deduplicated
on the event id, noting when the delivery was received.
"""

from __future__ import annotations

import structlog
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from soporte.notify.transports import pagerduty

log = structlog.get_logger(__name__)


@csrf_exempt
@require_POST
def pagerduty_webhook(request: HttpRequest) -> JsonResponse:
    secrets = [str(s).encode() for s in settings.PAGERDUTY_WEBHOOK_SECRETS if s]
    if not secrets:
        log.error("pagerduty.webhook_unconfigured", hint="set SOPORTE_PAGERDUTY_WEBHOOK_SECRETS")
        return JsonResponse({"detail": "webhook secret not configured"}, status=401)
    raw = request.body
    header = request.headers.get("X-PagerDuty-Signature", "")
    if not pagerduty.verify_pagerduty_signature(secrets, raw, header):
        log.warning("pagerduty.webhook_rejected", signed=bool(header), bytes=len(raw))
        return JsonResponse({"detail": "invalid signature"}, status=401)
    try:
        event = pagerduty.parse_webhook(raw)
    except pagerduty.IgnoredWebhook as exc:
        log.info("pagerduty.webhook_ignored", reason=str(exc))
        return JsonResponse({"status": "ignored"})
    except pagerduty.BadWebhook as exc:
        log.warning("pagerduty.webhook_unreadable", reason=str(exc), bytes=len(raw))
        return JsonResponse({"detail": str(exc)}, status=400)
    queued = pagerduty.accept_webhook(event, received_at=timezone.now())
    log.info(
        "pagerduty.webhook_received",
        event_id=event.event_id,
        type=event.event_type,
        duplicate=not queued,
    )
    return JsonResponse({"status": "queued" if queued else "duplicate"})
