"""The knowledge base's editor in the console (``/console/kb/``): the articles with their
status and stale translations, a new article, the editor (a rendered preview by htmx, status
buttons, image upload, the source's changes a stale translation has not caught up with), a
translation started from its source, and the revision history.

Every human agent writes and publishes, as a small team does; an integration's account gets
403 (``kb.services.may_write``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soporte.accounts.models import Agent, Language
from soporte.console.access import AgentView, RequestView, agent_required, is_htmx
from soporte.console.kb_forms import (
    ArticleForm,
    FilterForm,
    ImageForm,
    NewArticleForm,
    TranslateForm,
    TranslationEditForm,
)
from soporte.console.views import _chrome
from soporte.kb import editor_selectors as selectors
from soporte.kb import services
from soporte.kb.diff import source_changes
from soporte.kb.markdown import render as render_markdown
from soporte.kb.models import Article, Status

STATUS_CHANGES: dict[str, Callable[..., Article]] = {
    Status.PUBLISHED: services.publish,
    Status.ARCHIVED: services.archive,
    Status.DRAFT: services.return_to_draft,
}

TRANSLATE_INTO = {
    Language.ENGLISH: gettext_lazy("Translate into English"),
    Language.SPANISH: gettext_lazy("Translate into Spanish"),
}


def writer_required(view: AgentView[Any]) -> RequestView[Any]:
    """``agent_required``, and 403 for an agent who may not write articles."""

    def check(request: HttpRequest, agent: Agent, /, *args: Any, **kwargs: Any) -> Any:
        if not services.may_write(agent):
            raise PermissionDenied
        return view(request, agent, *args, **kwargs)

    check.__name__ = check.__qualname__ = view.__name__
    return agent_required(check)


def _article(agent: Agent, pk: int) -> Article:
    found = selectors.article(agent, pk)
    if found is None:
        raise Http404(str(pk))
    return found


@require_GET
@writer_required
def articles(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    """Every article, newest change first; a stale translation is flagged."""
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    category = chosen.get("category")
    rows = selectors.articles(
        agent,
        status=chosen.get("status", ""),
        language=chosen.get("language", ""),
        category=category.pk if category is not None else None,
    )
    context = {
        **_chrome(agent, active="kb"),
        "rows": rows,
        "filter_form": filters,
        "filtered": bool(chosen and any(chosen.values())),
    }
    return render(request, "console/kb_articles.html", context)


@require_http_methods(["GET", "POST"])
@writer_required
def new(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    form = NewArticleForm(request.POST or None, initial={"language": Language.SPANISH})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _saved(
            request,
            form,
            lambda: services.create_article(
                author=agent,
                category=data["category"],
                language=data["language"],
                title=data["title"],
                slug=data["slug"] or None,
                body=data["body"],
                now=timezone.now(),
            ),
            _("Draft saved."),
        )
        if saved is not None:
            return saved
    context = {
        **_chrome(agent, active="kb"),
        "form": form,
        "heading": _("New article"),
        "action": reverse("console:kb_new"),
        "back": (reverse("console:kb_articles"), _("Knowledge base")),
    }
    return render(request, "console/kb_new.html", context, status=400 if form.errors else 200)


def _saved(
    request: HttpRequest, form: ArticleForm, save: Callable[[], Article], done: str
) -> HttpResponseBase | None:
    """Run ``save``: on success say ``done`` and go to the article's editor; a refusal lands on
    the form (``None``: render the form again)."""
    try:
        article = save()
    except services.ArticleError as exc:
        form.refuse(exc)
        return None
    messages.success(request, done)
    return redirect("console:kb_edit", pk=article.pk)


@require_http_methods(["GET", "POST"])
@writer_required
def edit(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """The editor: save title, slug, category and text (a translation may say it caught up)."""
    article = _article(agent, pk)
    form_class = ArticleForm if article.source is None else TranslationEditForm
    initial = {"title": article.title, "slug": article.slug, "body": article.body}
    form = form_class(request.POST or None, initial={**initial, "category": article.category})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        caught_up = _caught_up_with(request, article) if data.get("caught_up") else None
        saved = _saved(
            request,
            form,
            lambda: services.update_article(
                article=article,
                editor=agent,
                title=data["title"],
                slug=data["slug"],
                body=data["body"],
                category=data["category"],
                now=timezone.now(),
                caught_up_with=caught_up,
            ),
            _("Article saved."),
        )
        if saved is not None:
            return saved
    return _render_editor(request, agent, article, form, status=400 if form.errors else 200)


def _caught_up_with(request: HttpRequest, article: Article) -> int:
    """The source revision the editor showed when the box was ticked (a later one may have
    come in since: the translation catches up only with what its translator saw)."""
    shown = request.POST.get("source_revision", "")
    if shown.isdigit():
        return int(shown)
    return article.source.revision if article.source is not None else 0


def _render_editor(
    request: HttpRequest, agent: Agent, article: Article, form: ArticleForm, *, status: int = 200
) -> HttpResponse:
    source = article.source
    others = [] if source is not None else selectors.translations(article)
    missing = [
        (code, label)
        for code, label in TRANSLATE_INTO.items()
        if code != article.language and code not in {t.language for t in others}
    ]
    context = {
        **_chrome(agent, active="kb"),
        "article": article,
        "form": form,
        "preview": render_markdown(article.body),
        "translations": others,
        "missing": missing if source is None else [],
        "changes": source_changes(article),
        "images": selectors.images(article),
        "image_form": ImageForm(),
        "statuses": [s for s in Status if s != article.status],
    }
    return render(request, "console/kb_edit.html", context, status=status)


@require_POST
@writer_required
def preview(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    """The text as the public page renders it (writes nothing)."""
    html = render_markdown(request.POST.get("body", ""))
    return render(request, "console/_kb_preview.html", {"preview": html})


@require_POST
@writer_required
def change_status(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    article = _article(agent, pk)
    change = STATUS_CHANGES.get(request.POST.get("status", ""))
    if change is None:
        messages.error(request, _("Choose published, archived or draft."))
        return redirect("console:kb_edit", pk=pk)
    changed = change(article=article, now=timezone.now())
    messages.success(
        request, _("The article is now: %(status)s.") % {"status": changed.get_status_display()}
    )
    return redirect("console:kb_edit", pk=pk)


@require_POST
@writer_required
def caught_up(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """ "Mark as translated": the translation is up to date with its source."""
    article = _article(agent, pk)
    try:
        services.mark_translated(translation=article, now=timezone.now())
    except services.ArticleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The translation is marked up to date."))
    return redirect("console:kb_edit", pk=pk)


@require_http_methods(["GET", "POST"])
@writer_required
def translate(request: HttpRequest, agent: Agent, pk: int, language: str) -> HttpResponseBase:
    """A new translation of the article into ``language``, prefilled with the source's text;
    an existing one opens in its editor."""
    source = _article(agent, pk)
    if source.source is not None or language not in TRANSLATE_INTO or language == source.language:
        raise Http404(language)
    existing = source.translations.filter(language=language).first()
    if existing is not None:
        return redirect("console:kb_edit", pk=existing.pk)
    initial = {"title": source.title, "body": source.body}
    form = TranslateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _saved(
            request,
            form,
            lambda: services.create_translation(
                source=source,
                language=language,
                translator=agent,
                title=data["title"],
                body=data["body"],
                slug=data["slug"] or None,
                now=timezone.now(),
            ),
            _("Translation saved as a draft."),
        )
        if saved is not None:
            return saved
    context = {
        **_chrome(agent, active="kb"),
        "form": form,
        "heading": TRANSLATE_INTO[Language(language)],
        "action": reverse("console:kb_translate", args=[source.pk, language]),
        "back": (reverse("console:kb_edit", args=[source.pk]), source.title),
        "language": language,
        "prefilled_from": source.revision,
    }
    return render(request, "console/kb_new.html", context, status=400 if form.errors else 200)


@require_POST
@writer_required
def upload_image(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """Attach an image; the answer carries the Markdown that shows it (htmx puts it into the
    text at the cursor; without htmx it is shown to copy)."""
    article = _article(agent, pk)
    form = ImageForm(request.POST, request.FILES)
    error, markdown = "", ""
    if not form.is_valid():
        error = _("Choose an image file.")
    else:
        try:
            image = services.attach_image(
                article=article, upload=form.cleaned_data["image"], now=timezone.now()
            )
        except services.ArticleError as exc:
            error = str(exc)
        else:
            alt = form.cleaned_data["alt"].replace("]", "") or image.filename
            markdown = f"![{alt}](/kb/images/{image.pk})"
    if is_htmx(request):
        context = {"error": error, "markdown": markdown}
        return render(request, "console/_kb_image.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Image attached. Put it in the text with: %(md)s") % {"md": markdown}
        )
    return redirect("console:kb_edit", pk=pk)


@require_GET
@writer_required
def revisions(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    article = _article(agent, pk)
    context = {
        **_chrome(agent, active="kb"),
        "article": article,
        "revisions": selectors.revisions(article),
    }
    return render(request, "console/kb_revisions.html", context)
