"""Messages out over WhatsApp, through the outbox (transport ``whatsapp``): an agent's public
reply (and the desk's notices) on a WhatsApp ticket, and the templates outside the window.

:func:`carry` is the channel's carrier (``tickets.replies.CARRIERS``): inside the 24-hour
customer-service window a reply goes as text (cut in pieces of 4096 characters) and each of
its attachments as a media message (uploaded first); outside it, as the ticket's approved
template (``{{1}}`` the ticket number, ``{{2}}`` the reply), or, when the agent chose email or
no template is configured, not at all: ``None`` lets the reply go by email. The resolution
notice is followed, inside the window, by the CSAT survey as three reply buttons
(``domain.survey``); outside it the survey cannot go (an interactive message is free-form),
which the timeline records (``survey_skipped``, reason ``whatsapp_window_closed``).

The transport POSTs each body to the Cloud API and keeps the wamid it answers with
(``WhatsAppSent``), which the status callbacks name.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import override

from soporte.channels import csat
from soporte.channels.whatsapp import graph
from soporte.channels.whatsapp.domain import outbound as bodies
from soporte.channels.whatsapp.domain import survey as survey_buttons
from soporte.channels.whatsapp.domain.window import window_open
from soporte.channels.whatsapp.models import ReplyRoute, WhatsAppSent, WhatsAppTicket
from soporte.feedback import links
from soporte.feedback.models import Survey
from soporte.jobs import outbox
from soporte.jobs.models import OutboxMessage
from soporte.tickets import sanitize, timeline
from soporte.tickets.models import EventKind, Message, Ticket

log = structlog.get_logger(__name__)

TRANSPORT = "whatsapp"
WINDOW_CLOSED = "whatsapp_window_closed"
"""Why a resolution's survey did not go over WhatsApp (the timeline's ``survey_skipped``)."""


def templates() -> list[str]:
    """The approved templates replies may go as outside the window (the first is the default)."""
    return list(settings.SOPORTE_WHATSAPP_TEMPLATES)


def closed_window_route(conversation: WhatsAppTicket) -> tuple[ReplyRoute, str]:
    """How replies go on ``conversation`` while its window is closed, and the template."""
    names = templates()
    route = conversation.closed_window_route or (ReplyRoute.TEMPLATE if names else ReplyRoute.EMAIL)
    if route == ReplyRoute.TEMPLATE and names:
        chosen = conversation.template if conversation.template in names else names[0]
        return ReplyRoute.TEMPLATE, chosen
    return ReplyRoute.EMAIL, ""


def carry(ticket: Ticket, message: Message, now: datetime) -> OutboxMessage | None:
    """Queue public ``message`` of ``ticket`` to the customer over WhatsApp (due at ``now``):
    the first outbox row, or ``None`` when it goes by email instead."""
    conversation = WhatsAppTicket.objects.select_related("sender").filter(ticket=ticket).first()
    if conversation is None:
        return None
    conversation.ticket = ticket
    return carry_in(conversation, message, now)


def carry_in(conversation: WhatsAppTicket, message: Message, now: datetime) -> OutboxMessage | None:
    """``carry`` on the conversation already at hand (its ticket and sender loaded)."""
    ticket = conversation.ticket
    to = conversation.sender.wa_id
    survey = csat.resolution_survey(ticket, message)
    if window_open(conversation.sender.last_inbound_at, now):
        first = _free_form(ticket, message, to, now)
        if survey is not None:
            _invite(survey, message, to, now)
        return first
    if survey is not None:
        log.info("whatsapp.survey_not_sent", ticket=ticket.pk, reason=WINDOW_CLOSED)
        timeline.record(
            ticket, EventKind.SURVEY_SKIPPED, at=now, survey=survey.pk, reason=WINDOW_CLOSED
        )
    route, template = closed_window_route(conversation)
    if route != ReplyRoute.TEMPLATE:
        return None
    body = bodies.template_message(
        to,
        name=template,
        language=ticket.requester.locale,
        params=[str(ticket.pk), sanitize.to_text(message.body)],
    )
    return enqueue(key=f"{_key(message)}:template", body=body, due_at=now, message=message)


def _free_form(ticket: Ticket, message: Message, to: str, now: datetime) -> OutboxMessage | None:
    first = None
    for i, body in enumerate(bodies.text_messages(to, sanitize.to_text(message.body))):
        sent = enqueue(key=f"{_key(message)}:{i}", body=body, due_at=now, message=message)
        first = first or sent
    for attachment in message.attachments.order_by("pk"):
        kind = bodies.media_kind(attachment.content_type)
        body = bodies.media_message(
            to, kind=kind, media_id="", filename=attachment.filename if kind == "document" else ""
        )
        upload = {
            "file": attachment.file.name,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
        }
        sent = enqueue(
            key=f"{_key(message)}:file:{attachment.pk}",
            body=body,
            due_at=now,
            message=message,
            upload=upload,
        )
        first = first or sent
    return first


def _invite(survey: Survey, message: Message, to: str, now: datetime) -> OutboxMessage:
    """Queue the survey's reply buttons after the resolution notice ``message``."""
    token = links.token(survey)
    with override(survey.contact.locale):
        body = survey_buttons.buttons_message(
            to,
            body=csat.question(survey.ticket),
            buttons=[(survey_buttons.button_id(a, token), t) for a, t in csat.buttons()],
        )
    return enqueue(key=f"{_key(message)}:survey", body=body, due_at=now, message=message)


def _key(message: Message) -> str:
    return f"whatsapp:message:{message.pk}"


def enqueue(
    *,
    key: str,
    body: dict[str, Any],
    due_at: datetime,
    message: Message | None = None,
    upload: dict[str, str] | None = None,
    max_attempts: int | None = None,
    urgent: bool = False,
) -> OutboxMessage:
    """Queue one Cloud API message ``body`` (idempotent on ``key``), carrying ``message``;
    ``upload``: a stored file to upload first, whose media id the body then carries."""
    payload: dict[str, Any] = {"body": body}
    if message is not None:
        payload |= {"ticket": message.ticket_id, "message": message.pk}
    if upload is not None:
        payload["upload"] = upload
    return outbox.enqueue(
        transport=TRANSPORT,
        key=key,
        payload=payload,
        due_at=due_at,
        max_attempts=max_attempts,
        urgent=urgent,
    )


@outbox.transport(TRANSPORT)
def deliver(message: OutboxMessage) -> None:
    """Send one queued body (uploading its file first) and keep the wamid answered."""
    payload = message.payload
    body = dict(payload["body"])
    upload = payload.get("upload")
    if upload:
        kind = body["type"]
        body[kind] = {**body[kind], "id": _uploaded(upload)}
    wamid = graph.send_message(body)
    WhatsAppSent.objects.get_or_create(
        wamid=wamid,
        defaults={
            "outbox_key": message.idempotency_key,
            "ticket_id": payload.get("ticket"),
            "message_id": payload.get("message"),
            "kind": str(body.get("type", "")),
            "sent_at": timezone.now(),
        },
    )
    log.info("whatsapp.sent", key=message.idempotency_key, wamid=wamid)


def _uploaded(upload: dict[str, str]) -> str:
    try:
        with default_storage.open(upload["file"], "rb") as stored:
            data = stored.read()
    except (OSError, KeyError) as exc:
        raise outbox.PermanentDeliveryError(f"the file to send is gone: {exc}") from exc
    return graph.upload_media(
        data, mime_type=upload.get("content_type", ""), filename=upload.get("filename", "")
    )
