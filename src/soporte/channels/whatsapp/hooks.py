"""``/hooks/whatsapp``: the Cloud API's webhook (``../shared/reference/protocols.md`` §3.1-3.3).

``GET`` answers Meta's subscription check: the raw ``hub.challenge`` when ``hub.mode`` is
``subscribe`` and ``hub.verify_token`` is ``SOPORTE_WHATSAPP_VERIFY_TOKEN``, else 403.
``POST`` checks ``X-Hub-Signature-256`` (HMAC-SHA256 of the raw body with
``SOPORTE_WHATSAPP_APP_SECRET``, constant time) before reading anything: wrong or missing,
401 and nothing written. Then every message and status is filed (``ingest``) and committed
before the answer: 200 with what became of each; 400 for a body that is not a webhook; 503
while the database fails, so that Meta delivers it again (a repeat files nothing twice).
Without its secret (or token) configured the hook does not exist: 404.
"""

from __future__ import annotations

import structlog
from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from soporte.channels.whatsapp.domain.payload import PayloadError
from soporte.channels.whatsapp.domain.signature import challenge, verified
from soporte.channels.whatsapp.ingest import receive

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_hook(request: HttpRequest) -> HttpResponse:
    return _verify(request) if request.method == "GET" else _receive(request)


def _verify(request: HttpRequest) -> HttpResponse:
    token = str(settings.SOPORTE_WHATSAPP_VERIFY_TOKEN)
    if not token:
        raise Http404("the WhatsApp hook is not configured")
    answer = challenge(
        mode=request.GET.get("hub.mode"),
        token=request.GET.get("hub.verify_token"),
        value=request.GET.get("hub.challenge"),
        verify_token=token,
    )
    if answer is None:
        log.warning("whatsapp.verification_refused", mode=request.GET.get("hub.mode"))
        return HttpResponse(
            "wrong hub.mode or hub.verify_token", status=403, content_type="text/plain"
        )
    return HttpResponse(answer, content_type="text/plain")


def _receive(request: HttpRequest) -> HttpResponse:
    secret = str(settings.SOPORTE_WHATSAPP_APP_SECRET)
    if not secret:
        raise Http404("the WhatsApp hook is not configured")
    raw = request.body
    if not verified(secret.encode(), raw, request.headers.get(SIGNATURE_HEADER)):
        log.warning("whatsapp.signature_refused", given=SIGNATURE_HEADER in request.headers)
        return JsonResponse({"detail": f"wrong or missing {SIGNATURE_HEADER}"}, status=401)
    try:
        received = receive(raw, now=timezone.now())
    except PayloadError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    except DatabaseError:
        log.exception("whatsapp.database_failed")
        return JsonResponse({"detail": "the desk could not store the delivery; retry"}, status=503)
    log.info("whatsapp.received", **received.as_json())
    return JsonResponse(received.as_json())
