"""Screenshots and recordings: the type is sniffed from the bytes, the size is limited, and so
are the files and bytes of one message and the bytes of one ticket (settings
``SOPORTE_MAX_UPLOAD_BYTES``, ``SOPORTE_MAX_FILES_PER_MESSAGE``,
``SOPORTE_MAX_MESSAGE_UPLOAD_BYTES``, ``SOPORTE_MAX_TICKET_UPLOAD_BYTES``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from soporte.tickets.models import Attachment, Message, Ticket

_SIGNATURES: list[tuple[int, bytes, str]] = [
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (8, b"WEBP", "image/webp"),
    (4, b"ftyp", "video/mp4"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
]

MEDIA_TYPES = tuple(dict.fromkeys(media_type for _, _, media_type in _SIGNATURES))
"""What an attachment may be (sniffed from its bytes, whatever name or type the upload says)."""


class AttachmentRejected(ValueError):
    """The upload is not a screenshot or recording we accept; the message says why."""


@dataclass(frozen=True, slots=True)
class Accepted:
    content_type: str
    size: int


def sniff(head: bytes) -> str | None:
    """The media type of a file from its first bytes, or None when it is not one we accept."""
    for offset, magic, media_type in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if media_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return media_type
    return None


def check(upload: UploadedFile) -> Accepted:
    limit = settings.SOPORTE_MAX_UPLOAD_BYTES
    size = upload.size or 0
    if size > limit:
        raise AttachmentRejected(
            _("%(name)s is %(size)d MB; the limit is %(limit)d MB.")
            % {"name": upload.name, "size": size // 2**20, "limit": limit // 2**20}
        )
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    media_type = sniff(head)
    if media_type is None:
        raise AttachmentRejected(
            _("%(name)s is not a screenshot or recording (PNG, JPEG, GIF, WebP, MP4 or WebM).")
            % {"name": upload.name}
        )
    return Accepted(media_type, size)


def check_message(uploads: Sequence[UploadedFile]) -> None:
    """Check each file (``check``), then what one message may carry: raises
    ``AttachmentRejected`` naming the limit passed."""
    count = settings.SOPORTE_MAX_FILES_PER_MESSAGE
    if len(uploads) > count:
        raise AttachmentRejected(_("Attach at most %(count)d files at a time.") % {"count": count})
    total = sum(check(upload).size for upload in uploads)
    limit = settings.SOPORTE_MAX_MESSAGE_UPLOAD_BYTES
    if total > limit:
        raise AttachmentRejected(
            _("These files add up to %(size)s; one message takes at most %(limit)s.")
            % {"size": filesizeformat(total), "limit": filesizeformat(limit)}
        )


def check_ticket(ticket: Ticket, uploads: Sequence[UploadedFile]) -> None:
    """Whether ``ticket`` may take ``uploads`` besides the files it holds (read under the
    caller's lock on the ticket): raises ``AttachmentRejected`` naming the limit."""
    adding = sum(upload.size or 0 for upload in uploads)
    if not adding:
        return
    held = Attachment.objects.filter(ticket=ticket).aggregate(total=Sum("size"))["total"] or 0
    limit = settings.SOPORTE_MAX_TICKET_UPLOAD_BYTES
    if held + adding > limit:
        raise AttachmentRejected(
            _(
                "This ticket holds %(held)s of files; with these %(adding)s it would pass "
                "its limit: a ticket takes at most %(limit)s."
            )
            % {
                "held": filesizeformat(held),
                "adding": filesizeformat(adding),
                "limit": filesizeformat(limit),
            }
        )


def store(*, ticket: Ticket, message: Message | None, upload: UploadedFile) -> Attachment:
    accepted = check(upload)
    return Attachment.objects.create(
        ticket=ticket,
        message=message,
        file=upload,
        filename=(upload.name or "upload")[-255:],
        content_type=accepted.content_type,
        size=accepted.size,
    )
