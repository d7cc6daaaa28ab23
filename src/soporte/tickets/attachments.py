"""Screenshots and recordings: the type is sniffed from the bytes, the size is limited."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
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
