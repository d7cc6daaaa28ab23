"""Language selection by query string (``?lang=en``, kept in the language cookie), and the
security headers of every response."""

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


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""Pages run only the desk's own script and style files: no inline script, event handler
attribute or ``style`` attribute (htmx's inline indicator style is turned off in the base
template). A response that sets its own policy (attachments: ``sandbox``) keeps it."""

STRICT_TRANSPORT_SECURITY = "max-age=31536000"


class SecurityHeadersMiddleware:
    """The Content-Security-Policy on every response; when the desk's public address
    (``SOPORTE_PUBLIC_URL``) is https, HSTS and every cookie ``Secure``.

    HSTS is sent whether or not this request came over TLS (a proxy in front may terminate it;
    browsers ignore the header over plain http)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if settings.PUBLIC_BASE_URL.startswith("https://"):
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
            for cookie in response.cookies.values():
                cookie["secure"] = True
        return response
