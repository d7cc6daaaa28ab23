"""An email's attachments kept on its message, within the upload quotas
(``tickets.attachments``): a file over a quota is left out with a note in the message, and the
rest of the mail is kept.

Unlike a portal upload, an email may carry any file (a PDF, a spreadsheet, ``winmail.dat``):
its type is sniffed, and what is not an image or a recording is stored as
``application/octet-stream`` (the download serves it as a file, never inline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from soporte.channels.email.domain.parts import Part
from soporte.tickets.attachments import sniff
from soporte.tickets.models import Attachment, Message, Ticket

OCTET_STREAM = "application/octet-stream"


@dataclass(slots=True)
class Chosen:
    """The parts a message keeps, and a note (in the reader's words) per part left out."""

    kept: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def screenshot(self) -> bool:
        """A kept attachment is an image (an inline one is a signature's logo as often)."""
        return any(
            not part.inline and (sniff(part.data[:32]) or "").startswith("image/")
            for part in self.kept
        )


def held(ticket: Ticket | None) -> int:
    """The bytes of files ``ticket`` holds (none for a ticket still to be opened)."""
    if ticket is None:
        return 0
    total = Attachment.objects.filter(ticket=ticket).aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def choose(parts: Sequence[Part], *, held: int) -> Chosen:
    """The parts that fit the quotas, in order, given the ``held`` bytes of the ticket."""
    chosen = Chosen()
    count, total = 0, 0
    for part in parts:
        size = len(part.data)
        values = {"name": part.filename or _("attachment"), "size": filesizeformat(size)}
        if size > settings.SOPORTE_MAX_UPLOAD_BYTES:
            limit = filesizeformat(settings.SOPORTE_MAX_UPLOAD_BYTES)
            why = _("a file takes at most %(limit)s") % {"limit": limit}
        elif count >= settings.SOPORTE_MAX_FILES_PER_MESSAGE:
            why = _("a message takes at most %(count)d files") % {
                "count": settings.SOPORTE_MAX_FILES_PER_MESSAGE
            }
        elif total + size > settings.SOPORTE_MAX_MESSAGE_UPLOAD_BYTES:
            limit = filesizeformat(settings.SOPORTE_MAX_MESSAGE_UPLOAD_BYTES)
            why = _("a message takes at most %(limit)s of files") % {"limit": limit}
        elif held + total + size > settings.SOPORTE_MAX_TICKET_UPLOAD_BYTES:
            limit = filesizeformat(settings.SOPORTE_MAX_TICKET_UPLOAD_BYTES)
            why = _("a ticket takes at most %(limit)s of files") % {"limit": limit}
        else:
            chosen.kept.append(part)
            count, total = count + 1, total + size
            continue
        chosen.notes.append(
            _("The attachment %(name)s (%(size)s) was left out: %(why)s.") % {**values, "why": why}
        )
    return chosen


def store(*, ticket: Ticket, message: Message, parts: Sequence[Part]) -> list[Attachment]:
    """Keep ``parts`` as attachments of ``message`` (in the caller's transaction)."""
    return [
        Attachment.objects.create(
            ticket=ticket,
            message=message,
            file=ContentFile(part.data, name=_safe_name(part.filename)),
            filename=(part.filename or "attachment")[-255:],
            content_type=sniff(part.data[:32]) or OCTET_STREAM,
            size=len(part.data),
        )
        for part in parts
    ]


def _safe_name(filename: str) -> str:
    """A storage name from the sender's file name: no directories, nothing but safe characters
    (the shown name stays as sent)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).strip("._")
    return cleaned[-100:] or "attachment"
