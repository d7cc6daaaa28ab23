"""``GET /oncall/calendar/<secret>.ics``: the team calendar, for a rotation or a person."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from soporte.oncall.feeds import agent_calendar, rotation_calendar
from soporte.oncall.selectors import feed_for_secret

LANGUAGES = {"es": "es-mx", "en": "en"}
DEFAULT_LANGUAGE = "es"


@require_GET
def calendar(request: HttpRequest, secret: str) -> HttpResponse:
    """The feed the secret opens, or 404 (a wrong secret and a revoked one look the same).

    Spanish unless ``?lang=en`` or, for a person's feed, their language is English; the
    browser's Accept-Language is ignored (calendar apps send their own)."""
    feed = feed_for_secret(secret)
    if feed is None:
        raise Http404
    owner_language = feed.agent.locale if feed.agent is not None else DEFAULT_LANGUAGE
    chosen = request.GET.get("lang", "")
    language = LANGUAGES.get(chosen) or LANGUAGES.get(owner_language) or LANGUAGES["es"]
    now = timezone.now()
    with translation.override(language):
        if feed.rotation is not None:
            body = rotation_calendar(feed.rotation, now=now, language=language)
        else:
            assert feed.agent is not None  # a feed has exactly one owner (a check constraint)
            body = agent_calendar(feed.agent, now=now, language=language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="oncall.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Language"] = language
    return response
