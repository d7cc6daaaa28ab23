"""Language selection by query string: ``?lang=en`` (kept in the language cookie)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation


class QueryLanguageMiddleware:
    """After :class:`~django.middleware.locale.LocaleMiddleware`: a supported ``lang`` query
    parameter wins over the cookie and ``Accept-Language`` and is remembered in the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        requested = request.GET.get("lang", "")
        language = None
        if requested:
            try:
                language = translation.get_supported_language_variant(requested)
            except LookupError:
                language = None
        if language is None:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response
