"""A page over WhatsApp, for the paging notifiers: the approved template
``SOPORTE_WHATSAPP_PAGE_TEMPLATE`` (default ``soporte_page``) to an engineer's number, its
body's ``{{1}}``, ``{{2}}``… filled with ``text_params``. A page is business-initiated, so it
is always a template (the 24-hour window does not apply). It goes through the outbox
(transport ``whatsapp``), with the caller's attempts before the chain moves on; its status
callbacks are recorded like a reply's (``WhatsAppSent``, ``WhatsAppStatus``).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from soporte import phones
from soporte.channels.whatsapp import outbound
from soporte.channels.whatsapp.domain.outbound import template_message
from soporte.jobs.models import OutboxMessage


def enqueue_page(
    *, key: str, to: str, text_params: list[str], lang: str, due_at: datetime, max_attempts: int
) -> OutboxMessage:
    """Queue the page template to phone number ``to`` (any written form; ``ValueError`` when
    it is not a number), in ``lang`` (``es``/``en``), idempotent on ``key``, urgent."""
    line = phones.e164(to)
    if line is None:
        raise ValueError(f"to: {to!r} is not a valid phone number")
    body = template_message(
        line.lstrip("+"),
        name=str(settings.SOPORTE_WHATSAPP_PAGE_TEMPLATE),
        language=lang,
        params=text_params,
    )
    return outbound.enqueue(
        key=key, body=body, due_at=due_at, max_attempts=max_attempts, urgent=True
    )
