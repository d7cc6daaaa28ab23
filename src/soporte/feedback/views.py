"""The survey page a resolution message links to: public (the signed token is the key), in the
contact's language unless they picked one, scanner-safe (READING.md §7).

``GET /csat/<token>?answer=up`` shows the three answers with the clicked one chosen and never
writes; the page's own script then submits it (a POST, with the page's CSRF token). Without
script the person presses the answer. ``POST /csat/<token>`` records an answer, a change or a
comment while the survey takes them; ``POST /csat/<token>/surveys`` opts the contact out of
surveys (or back in). A tampered or unknown token is a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from soporte.feedback import links, selectors, services
from soporte.feedback.forms import AnswerForm
from soporte.feedback.models import Survey

SurveyPage = Callable[[HttpRequest, Survey], HttpResponse]


def _page(view: SurveyPage) -> Callable[[HttpRequest, str], HttpResponse]:
    """``view(request, survey)`` for the token's survey (404 otherwise), in the contact's
    language (unless the language cookie or ``?lang`` chose one) and zone; never cached,
    never indexed, and the token never leaks to another site as a referrer."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        survey = links.survey_for(token)
        if survey is None:
            raise Http404
        contact = survey.contact
        chose = settings.LANGUAGE_COOKIE_NAME in request.COOKIES or "lang" in request.GET
        language = translation.get_language() if chose else contact.locale
        try:
            zone = ZoneInfo(contact.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo(settings.TIME_ZONE)
        with translation.override(language), timezone.override(zone):
            response = view(request, survey)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _render(
    request: HttpRequest,
    survey: Survey,
    *,
    picked: str = "",
    errors: Sequence[str] = (),
    status: int = 200,
) -> HttpResponse:
    state = selectors.view(survey, now=timezone.now(), picked=picked)
    picked_new = picked in {c.answer for c in state.choices} and picked != survey.answer
    return render(
        request,
        "feedback/survey.html",
        {
            "state": state,
            "token": links.token(survey),
            "autosubmit": state.open and picked_new,
            "errors": errors,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@_page
def survey_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    if request.method == "GET":
        return _render(request, survey, picked=request.GET.get("answer", ""))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render(request, survey, errors=form.named_errors(), status=400)
    if not selectors.view(survey, now=timezone.now()).open:
        return _render(request, survey, status=409)  # the page says why; nothing written
    had_answer = bool(survey.answer)
    try:
        form.record(survey, at=timezone.now())
    except services.SurveyError:  # closed or voided between the check and the write
        survey.refresh_from_db()
        return _render(request, survey, status=409)
    if "comment" in request.POST:
        messages.success(request, _("Thank you: we saved your comment."))
    elif had_answer:
        messages.success(request, _("We changed your answer."))
    return redirect("feedback:survey", token=links.token(survey))


@never_cache
@require_POST
@_page
def surveys_setting(request: HttpRequest, survey: Survey) -> HttpResponse:
    """``send=no``: no more surveys to this contact; ``send=yes``: undo."""
    send = request.POST.get("send", "")
    if send not in ("yes", "no"):
        return _render(request, survey, errors=[_("send must be yes or no.")], status=400)
    services.opt_out(contact=survey.contact, opted_out=send == "no")
    messages.success(
        request,
        _("We will not send you any more surveys.")
        if send == "no"
        else _("We will send you surveys again."),
    )
    return redirect("feedback:survey", token=links.token(survey))
