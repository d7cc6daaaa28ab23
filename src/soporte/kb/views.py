"""The public knowledge base: no sign-in, published articles only.

``/kb/`` and ``/kb/search`` read in the reader's language (``?lang``, the language cookie or
``Accept-Language``; Spanish by default). A page of one language (``/kb/<language>/...``) is
wholly in that language, the layout included, as a help centre's localised pages are: a reader
who opens an English link reads English around it. The layout's language switch goes to the
same page in the other language (an article's linked translation; the other language's home
when there is none). A draft is 404; an archived article's address is 410 (withdrawn).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from soporte.accounts.models import Language, language_of_code
from soporte.kb import selectors
from soporte.kb.markdown import render as render_markdown
from soporte.kb.models import Article, Category
from soporte.kb.search import MAX_QUERY
from soporte.kb.search import search as search_articles
from soporte.public import public_url

READER_COOKIE = "kb_reader"
"""The signed cookie holding a reader's random key: their "Was this helpful?" answers."""
READER_SALT = "soporte.kb.reader"
RESULTS = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The pinned FAQs, then every category with its published articles, in the reader's
    language."""
    language = language_of_code(translation.get_language())
    shelves = [
        (shelf.name(language), _shelf_address(shelf, language), articles)
        for shelf, articles in selectors.shelves(language)
    ]
    context = {"pinned": selectors.pinned(language), "shelves": shelves}
    return _page(request, "kb/home.html", language, context, switch_url="")


@require_safe
def category(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """One category's published articles in ``language``."""
    _known(language)
    shelf = selectors.category(language, slug)
    if shelf is None:
        raise Http404
    context = {
        "category_name": shelf.name(language),
        "articles": selectors.published(language).filter(category=shelf).order_by("title"),
    }
    switch = _shelf_address(shelf, _other(language))
    return _page(request, "kb/category.html", language, context, switch_url=switch)


@require_safe
def article(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """One published article; an old slug redirects (301) to its address, an archived one is
    410. ``?lang`` naming the other language goes to the linked translation, if any."""
    _known(language)
    found = selectors.published_article(language, slug)
    if found is None:
        moved = selectors.moved_to(language, slug)
        if moved is not None:
            return HttpResponseRedirect(_address(moved), status=301)
        if selectors.gone(language, slug):
            return _page(request, "kb/gone.html", language, {}, switch_url="", status=410)
        raise Http404
    if "lang" in request.GET and language_of_code(translation.get_language()) != language:
        translated = selectors.translation(found, _other(language))
        if translated is not None:
            return HttpResponseRedirect(_address(translated))
    return article_page(request, found, reader=reader_of(request))


def article_page(
    request: HttpRequest,
    found: Article,
    *,
    reader: str,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The article's page, with ``reader``'s answer (also after a refused one, with
    ``errors``)."""
    language = found.language
    other = _other(language)
    translated = selectors.translation(found, other)
    other_home = f"{reverse('kb:home')}?lang={ui_language(other)}"
    alternates = [(language, public_url(_address(found)))]
    if translated is not None:
        alternates.append((translated.language, public_url(_address(translated))))
    context = {
        "article": found,
        "body": render_markdown(found.body),
        "category_name": found.category.name(language),
        "category_url": _shelf_address(found.category, language),
        "translated": translated,
        "other_home": other_home,
        "canonical": public_url(_address(found)),
        "alternates": alternates,
        "vote": selectors.vote_of(found, reader=reader),
        "errors": errors or [],
    }
    switch = _address(translated) if translated is not None else other_home
    return _page(request, "kb/article.html", language, context, switch_url=switch, status=status)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """The published articles matching ``q`` in ``language`` (default: the reader's), best
    first, each with its category and highlighted snippet."""
    language = request.GET.get("language") or language_of_code(translation.get_language())
    query = request.GET.get("q", "").strip()
    errors = []
    if language not in Language.values:
        errors.append(_("language must be es or en."))
        language = language_of_code(translation.get_language())
    if len(query) > MAX_QUERY:
        errors.append(_("q must be at most %(limit)d characters.") % {"limit": MAX_QUERY})
    hits = search_articles(query, language=language, limit=RESULTS) if query and not errors else []
    found = selectors.published(language).in_bulk([hit.article_id for hit in hits])
    results = [(hit, found[hit.article_id].category.name(language)) for hit in hits]
    context = {"query": query, "results": results, "errors": errors}
    switch = f"{reverse('kb:search')}?{urlencode({'q': query, 'language': _other(language)})}"
    status = 400 if errors else 200
    return _page(request, "kb/search.html", language, context, switch_url=switch, status=status)


def reader_of(request: HttpRequest) -> str:
    """The reader's key from their signed cookie; empty when they have none (or forged it)."""
    return str(request.get_signed_cookie(READER_COOKIE, default="", salt=READER_SALT))


def _page(
    request: HttpRequest,
    template: str,
    language: str,
    context: dict[str, Any],
    *,
    switch_url: str,
    status: int = 200,
) -> HttpResponse:
    """``template`` rendered wholly in ``language``; ``switch_url`` is where the layout's
    language switch leads (empty: this page, in the other language)."""
    ui = ui_language(language)
    with translation.override(ui):
        context |= {"language": language, "switch_url": switch_url}
        response = render(request, template, context, status=status)
    response["Content-Language"] = ui
    return response


def _address(found: Article) -> str:
    return reverse("kb:article", kwargs={"language": found.language, "slug": found.slug})


def _shelf_address(shelf: Category, language: str) -> str:
    return reverse("kb:category", kwargs={"language": language, "slug": shelf.slug(language)})


def _known(language: str) -> None:
    if language not in Language.values:
        raise Http404


def _other(language: str) -> str:
    return str(Language.SPANISH if language == Language.ENGLISH else Language.ENGLISH)


def ui_language(language: str) -> str:
    """The UI language for an articles' language (``es`` → ``es-mx``)."""
    return str(translation.get_supported_language_variant(language))
