"""The recording link of a suggested article: it notes the opening on the suggestion session
(``kb.deflection``) and redirects to the article's public page. No sign-in: the chat widget's
customer is not signed in to the desk; the signed session token is the credential."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from soporte.kb import deflection


@require_GET
def suggested(request: HttpRequest, token: str, article: int) -> HttpResponse:
    found = deflection.open_suggestion(token=token, article_id=article, now=timezone.now())
    if found is None:
        raise Http404
    response = redirect("kb:article", language=found.language, slug=found.slug)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
