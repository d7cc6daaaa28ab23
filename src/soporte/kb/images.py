"""Articles' images at ``/kb/images/<id>``: public for a published article, and for an agent
signed in also a draft's or an archived one's (the editor's preview shows them)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from soporte.kb.models import ArticleImage, Status
from soporte.tickets.selectors import agent_of

PUBLIC_CACHE = "public, max-age=86400"
"""A published article's image changes never (a new upload is a new address): a day."""


@require_GET
def image(request: HttpRequest, pk: int) -> FileResponse:
    """The stored bytes with their sniffed type; 404 when the caller may not see them."""
    found = get_object_or_404(ArticleImage.objects.select_related("article"), pk=pk)
    public = found.article.status == Status.PUBLISHED
    if not public and agent_of(request.user) is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404("image file missing") from None
    response = FileResponse(handle, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = PUBLIC_CACHE if public else "private, no-store"
    return response
