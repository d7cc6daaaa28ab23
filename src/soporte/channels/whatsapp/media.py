"""A customer's media file, fetched by a job after its message committed (the webhook answers
at once): ``GET /{media-id}`` for its URL and size, then the file with the bearer token.

The size is checked before the file is read whole: over ``SOPORTE_MAX_UPLOAD_BYTES`` by the
size the API states, by the download's Content-Length or as it streams, the file is left out
and the message says so. A file within the limit is kept under the ticket's other quotas
(``channels.email.parts``, the same rules and notes as an email's attachments). A media id the
API refuses (expired, unknown), or one still failing after the job's last attempt, leaves a
note too: the message is never lost, and never waits for its file.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import datetime

import structlog
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.channels.email import parts
from soporte.channels.email.domain.parts import Part
from soporte.channels.whatsapp import graph
from soporte.channels.whatsapp.domain.payload import Media
from soporte.channels.whatsapp.ingest import FETCH_MEDIA
from soporte.jobs.models import Job
from soporte.jobs.outbox import PermanentDeliveryError
from soporte.jobs.registry import handler
from soporte.tickets import sanitize
from soporte.tickets.models import Message

log = structlog.get_logger(__name__)


def _give_up(job: Job, *, now: datetime) -> None:
    message = _message(job)
    if message is not None:
        _note(message, Media(**job.payload["media"]), None, why="unavailable")


@handler(FETCH_MEDIA, atomic=False, on_failed=_give_up)
def fetch(job: Job, *, now: datetime) -> Callable[[], None] | None:
    """Fetch the file of the job's message; what to store runs with the job's completion."""
    message = _message(job)
    if message is None or message.attachments.exists():
        return None
    media = Media(**job.payload["media"])
    limit = int(settings.SOPORTE_MAX_UPLOAD_BYTES)
    try:
        info = graph.media_info(media.id)
        if info.size is not None and info.size > limit:
            raise graph.TooLarge(info.size)
        data = graph.download(info.url, limit=limit)
    except graph.TooLarge as exc:
        size = exc.size
        log.info("whatsapp.media_too_large", message=message.pk, size=size)
        return lambda: _note(message, media, size, why="too_large")
    except PermanentDeliveryError as exc:
        log.warning("whatsapp.media_refused", message=message.pk, error=str(exc))
        return lambda: _note(message, media, None, why="unavailable")
    mime_type = media.mime_type or info.mime_type
    part = Part(filename=_filename(media, mime_type), content_type=mime_type, data=data)
    return lambda: _store(message, part)


def _message(job: Job) -> Message | None:
    found = Message.objects.select_related("ticket", "author_contact")
    return found.filter(pk=job.payload.get("message")).first()


def _filename(media: Media, mime_type: str) -> str:
    if media.filename:
        return media.filename
    extension = mimetypes.guess_extension(mime_type.split(";")[0].strip()) or ""
    return f"whatsapp-{media.kind}{extension}"


def _store(message: Message, part: Part) -> None:
    with transaction.atomic(), override(_locale(message)):
        chosen = parts.choose([part], held=parts.held(message.ticket))
        parts.store(ticket=message.ticket, message=message, parts=chosen.kept)
        if chosen.notes:
            _append(message, chosen.notes)


def _note(message: Message, media: Media, size: int | None, *, why: str) -> None:
    with override(_locale(message)):
        values = {
            "name": _filename(media, media.mime_type),
            "size": filesizeformat(size or 0),
            "limit": filesizeformat(settings.SOPORTE_MAX_UPLOAD_BYTES),
        }
        if why == "too_large":
            note = _(
                "The attachment %(name)s (%(size)s) was left out: it is too large (a file "
                "takes at most %(limit)s)."
            )
        else:
            note = _(
                "The attachment %(name)s could not be fetched from WhatsApp: ask the "
                "customer to send it again."
            )
        _append(message, [note % values])


def _append(message: Message, notes: list[str]) -> None:
    message.body += sanitize.from_text("\n\n".join(notes))
    message.save(update_fields=["body"])


def _locale(message: Message) -> str:
    contact = message.author_contact
    return contact.locale if contact is not None else message.ticket.requester.locale
