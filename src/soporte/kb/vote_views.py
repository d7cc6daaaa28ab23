"""``POST /kb/<language>/<slug>/vote``: a reader's "Was this helpful?" answer, scanner-safe.

The article page never writes (a link scanner fetches pages but presses no button); its Yes/No
buttons POST here. Without script the browser is sent back to the article (303, to its
``#helpful`` part); with htmx the answer part is swapped in place. The reader's random key
lives in a signed cookie, so one browser holds one answer per article and can change it. A
comment (after "No", optional) comes with the answer it belongs to.
"""

from __future__ import annotations

import secrets

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from soporte.kb import selectors, votes
from soporte.kb.forms import VoteForm
from soporte.kb.models import Article, Vote
from soporte.kb.views import READER_COOKIE, READER_SALT, article_page, reader_of, ui_language

READER_COOKIE_AGE = 365 * 24 * 3600


@require_POST
def vote(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    found = selectors.published_article(language, slug)
    if found is None:
        raise Http404
    reader = reader_of(request)
    form = VoteForm(request.POST)
    with translation.override(ui_language(found.language)):  # the page's language
        refusals = form.refusals()
    if refusals:  # the page's buttons cannot send this: a crafted request
        return article_page(request, found, reader=reader, errors=refusals, status=400)
    reader = reader or secrets.token_urlsafe(24)
    now = timezone.now()
    helpful = form.cleaned_data["helpful"] == "yes"
    recorded = votes.vote(article=found, reader=reader, helpful=helpful, now=now)
    if "comment" in request.POST:
        text = form.cleaned_data["comment"]
        recorded = votes.comment(article=found, reader=reader, text=text, now=now) or recorded
    if request.headers.get("HX-Request") == "true":
        response = _part(request, found, recorded)
    else:
        address = reverse("kb:article", kwargs={"language": language, "slug": slug})
        response = HttpResponseRedirect(f"{address}#helpful", status=303)
    response.set_signed_cookie(
        READER_COOKIE,
        reader,
        salt=READER_SALT,
        max_age=READER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _part(request: HttpRequest, found: Article, recorded: Vote) -> HttpResponse:
    """The answer part alone (the answer just recorded), in the article's language, for htmx
    to swap in."""
    with translation.override(ui_language(found.language)):
        context = {"article": found, "vote": recorded}
        return render(request, "kb/_helpful.html", context)
