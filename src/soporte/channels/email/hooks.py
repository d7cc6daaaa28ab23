"""``POST /hooks/email``: an inbound mail service hands over one raw RFC 5322 message.

The body is the message itself; the header ``X-Soporte-Hook-Secret`` carries the shared secret
``SOPORTE_EMAIL_HOOK_SECRET`` (compared in constant time). No session, no CSRF token. Answers:
404 while no secret is configured (the hook does not exist), 401 for a wrong or missing
secret, 413 for a message over ``SOPORTE_EMAIL_MAX_BYTES``, else the ingest's result as JSON
(``soporte mail ingest --json``'s keys): 201 when it opened a ticket, 200 otherwise (a
duplicate delivery included: the service may stop retrying).
"""

from __future__ import annotations

import hmac

import structlog
from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from soporte.channels.email.ingest import Outcome, ingest

log = structlog.get_logger(__name__)

SECRET_HEADER = "X-Soporte-Hook-Secret"


@csrf_exempt
@require_POST
def email_hook(request: HttpRequest) -> JsonResponse:
    secret = str(settings.SOPORTE_EMAIL_HOOK_SECRET)
    if not secret:
        raise Http404("the email hook is not configured")
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        log.warning("email.hook_refused", given=bool(given))
        return JsonResponse({"detail": f"wrong or missing {SECRET_HEADER}"}, status=401)
    limit = int(settings.SOPORTE_EMAIL_MAX_BYTES)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # Read the stream, not ``request.body``: a message may pass DATA_UPLOAD_MAX_MEMORY_SIZE.
    raw = b"" if declared > limit else request.read(limit + 1)
    if declared > limit or len(raw) > limit:
        return JsonResponse({"detail": f"the message is larger than {limit:,} bytes"}, status=413)
    if not raw.strip():
        return JsonResponse({"detail": "the body must be a raw RFC 5322 message"}, status=400)
    now = timezone.now()
    result = ingest(raw, received_at=now, now=now)
    log.info("email.hook_filed", outcome=str(result.outcome), ticket=result.ticket)
    return JsonResponse(result.as_json(), status=201 if result.outcome == Outcome.CREATED else 200)
