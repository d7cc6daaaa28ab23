"""Attachment downloads: only for whoever may see the ticket (ARCHITECTURE.md rule 6)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from soporte.tickets.selectors import visible_attachments

INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


@require_GET
@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file with its sniffed type: images inline, anything else as a download.

    404 unless the attachment's ticket is visible to the caller; customers never get the
    attachments of internal notes.
    """
    item = get_object_or_404(visible_attachments(request.user), pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("attachment file missing") from None
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=item.content_type not in INLINE_TYPES,
        filename=item.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
