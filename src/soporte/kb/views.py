"""The public knowledge base: no sign-in, published articles only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from soporte.accounts.models import Language
from soporte.kb import selectors
from soporte.kb.markdown import render as render_markdown


def home(request: HttpRequest) -> HttpResponse:
    """The pinned FAQs and every published article in the reader's language."""
    language = _language(translation.get_language())
    context = {
        "language": language,
        "pinned": selectors.pinned(language),
        "articles": selectors.published(language).order_by("category__position", "title"),
    }
    return render(request, "kb/home.html", context)


def article(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """One published article; an old slug redirects to the article's address."""
    if language not in Language.values:
        raise Http404
    found = selectors.published_article(language, slug)
    if found is None:
        moved = selectors.moved_to(language, slug)
        if moved is None:
            raise Http404
        return HttpResponseRedirect(
            reverse("kb:article", kwargs={"language": language, "slug": moved.slug}),
            status=301,
        )
    context = {"article": found, "body": render_markdown(found.body)}
    return render(request, "kb/article.html", context)


def _language(code: str | None) -> str:
    return Language.ENGLISH if (code or "").startswith("en") else Language.SPANISH
