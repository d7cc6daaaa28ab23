"""The REST API: one NinjaAPI at ``/api/`` (OpenAPI 3.1 at ``/api/openapi.json``, docs at
``/api/docs``), its authentication, and the one error shape every operation answers with.

Authentication (either, on every operation): a bearer API token (``Authorization: Bearer
sop_...``, see :func:`soporte.accounts.services.authenticate_token`) or the browser session;
a session must pass Django's CSRF check for unsafe methods. Anonymous callers get 401.

Errors are always JSON: ``{"detail": "message"}``, and for invalid input (422)
``{"detail": [{"field": "subject", "source": "body", "message": "..."}]}``. Every 4xx an
operation can answer is in its ``responses`` (see :func:`errors`). A ticket the caller may not
see answers 404, exactly like one that does not exist.

The routers live in each app's ``api.py``; they import their building blocks from here and
:func:`urls` mounts them (lazily, so that importing a router never imports the others).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import AfterValidator, Field

from soporte.accounts.models import Agent, Contact, Role
from soporte.accounts.services import authenticate_token

log = logging.getLogger("soporte.api")

MAX_ID = 2**63 - 1
"""The largest row id both databases store (64-bit signed)."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_TOKEN = re.compile(r"sop_[A-Za-z0-9_-]{8,128}")
_SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")


# ------------------------------------------------------------------------- errors


class Error(Schema):
    """Every error but invalid input: a sentence saying what is wrong."""

    detail: str = Field(examples=["ticket 42 not found"])


class FieldError(Schema):
    field: str = Field(description="The field at fault, dotted for nested fields (``intake.url``).")
    source: Literal["body", "query", "path", "header", "cookie", "form", "file"] = Field(
        description="Where the field was sent."
    )
    message: str


class ValidationErrorOut(Schema):
    """Invalid input (422): one entry per field at fault."""

    detail: list[FieldError]


ERROR_DESCRIPTIONS = {
    400: "Malformed request: the body is not JSON, not UTF-8, or not a valid form upload.",
    401: "No valid credentials: send `Authorization: Bearer sop_...` or sign in.",
    403: "Signed in, but this role may not do this (or the CSRF check failed).",
    404: "No such object, or one the caller may not see.",
    409: "The ticket cannot take this change in its current state (the detail says why).",
    422: "Invalid input: each entry names the field at fault.",
}


def errors(*codes: int) -> dict[int, type[Schema]]:
    """The documented error responses of an operation: 400, 401, 403 and 422 always, and
    the given extra codes (404, 409)."""
    documented = sorted({400, 401, 403, 422, *codes})
    return {code: ValidationErrorOut if code == 422 else Error for code in documented}


def field_error(field: str, message: str, source: str = "body") -> ValidationError:
    """A 422 naming one field, in the shape of pydantic's own validation errors."""
    return ValidationError([{"loc": (source, field), "msg": message, "type": "value_error"}])


class NotFound(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(404, message)


class Forbidden(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(403, message)


# ---------------------------------------------------------------------- input types


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


CLEAN = AfterValidator(_clean_text)
"""Text both databases can store: no NUL, no lone surrogates (add a ``max_length`` too)."""
NOT_BLANK = AfterValidator(_not_blank)


RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Page(Schema):
    count: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int


Limit = Annotated[int, Field(ge=1, le=200, description="Page size (1-200).")]
Offset = Annotated[int, Field(ge=0, le=2**31 - 1, description="Items to skip.")]


# ------------------------------------------------------------------------ callers


class BearerToken(HttpBearer):
    """``Authorization: Bearer sop_...``: an agent's or an integration's API token."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        if not _TOKEN.fullmatch(token):
            return None
        agent = authenticate_token(token, now=timezone.now())
        if agent is None or not agent.user.is_active:
            return None
        return agent.user


class BrowserSession(APIKeyCookie):
    """The Django session of a signed-in contact or agent; unsafe methods need the CSRF token
    (``X-CSRFToken`` header) like any browser form."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, only once the session is known

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        if not key or not _SESSION_KEY.fullmatch(key):
            return None
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the csrftoken cookie in X-CSRFToken")
        assert isinstance(user, AbstractBaseUser)
        return user


def caller(request: HttpRequest) -> AbstractBaseUser:
    """The authenticated user of an API request."""
    user = getattr(request, "auth", None)
    if not isinstance(user, AbstractBaseUser):  # pragma: no cover - auth runs first
        raise HttpError(401, "authentication required")
    return user


def agent_or_403(user: AbstractBaseUser, action: str = "do this") -> Agent:
    agent: Agent | None = getattr(user, "agent", None)
    if agent is None:
        raise Forbidden(f"only agents may {action}")
    return agent


def actor_of(user: AbstractBaseUser) -> Agent | Contact:
    """The agent or contact behind a user; 403 for a user that is neither."""
    agent: Agent | None = getattr(user, "agent", None)
    if agent is not None:
        return agent
    contact: Contact | None = getattr(user, "contact", None)
    if contact is not None:
        return contact
    raise Forbidden("this account is neither an agent nor a contact")


def is_admin(user: AbstractBaseUser) -> bool:
    agent: Agent | None = getattr(user, "agent", None)
    return (agent is not None and agent.role == Role.ADMIN) or bool(
        getattr(user, "is_superuser", False)
    )


def require_admin(user: AbstractBaseUser) -> None:
    if not is_admin(user):
        raise Forbidden("only administrators may manage organisations and contacts")


# ------------------------------------------------------------------------ the API

api = NinjaAPI(
    title="soporte API",
    version="1",
    description=(
        "TrackMyVend's support desk: tickets, messages, attachments, SLA clocks, "
        "organisations and contacts.\n\n"
        "**Authentication**: `Authorization: Bearer sop_...` (create a token with "
        "`soporte token create --agent EMAIL --name NAME` or in the admin), or the browser "
        "session (unsafe methods need the `X-CSRFToken` header).\n\n"
        '**Errors** are always `{"detail": "..."}`; invalid input (422) is '
        '`{"detail": [{"field": ..., "source": ..., "message": ...}]}`. A ticket you may '
        "not see answers 404, like one that does not exist."
    ),
    urls_namespace="api",
    auth=[BearerToken(), BrowserSession()],
)

_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field_errors(raw: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for error in raw:
        loc = [str(part) for part in error.get("loc", ())]
        source = loc.pop(0) if loc and loc[0] in _SOURCES else "body"
        if source in ("body", "form") and loc and loc[0] == "payload":
            loc.pop(0)
        out.append(
            {
                "field": ".".join(loc) or "(request)",
                "source": source,
                "message": str(error.get("msg", "invalid value")),
            }
        )
    return out


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    response = api.create_response(request, {"detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="soporte"'
    return response


# Ninja types handlers loosely (an exception or its class): each takes the exception it is
# registered for.


def _on_validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return _error(request, 422, _field_errors(exc.errors))


def _on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    status = exc.status_code
    message = str(exc)
    if status == 401:
        message = "authentication required: send Authorization: Bearer sop_... or sign in"
    return _error(request, status, message)


def _on_404(request: HttpRequest, exc: Any) -> HttpResponse:
    return _error(request, 404, "not found")


def _on_anything(request: HttpRequest, exc: Any) -> HttpResponse:
    """Client mistakes Django reports as exceptions become 400; anything else is a bug: it is
    logged with its traceback and answered in the same shape (never a debug page)."""
    if isinstance(exc, SuspiciousOperation | MultiPartParserError | UnicodeDecodeError):
        log.info("api.bad_request", extra={"path": request.path, "error": str(exc)})
        return _error(request, 400, f"malformed request: {type(exc).__name__}")
    log.exception("api.unhandled", extra={"path": request.path})
    return _error(request, 500, "internal error (logged)")


api.add_exception_handler(ValidationError, _on_validation_error)
api.add_exception_handler(HttpError, _on_http_error)
api.add_exception_handler(Http404, _on_404)
api.add_exception_handler(Exception, _on_anything)


def _register_domain_errors() -> None:
    from soporte.tickets.attachments import AttachmentRejected
    from soporte.tickets.services import TicketError

    def on_ticket_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return _error(request, 409, str(exc))

    def on_rejected(request: HttpRequest, exc: Any) -> HttpResponse:
        return _error(request, 422, [{"field": "file", "source": "file", "message": str(exc)}])

    api.add_exception_handler(TicketError, on_ticket_error)
    api.add_exception_handler(AttachmentRejected, on_rejected)


@functools.cache
def urls() -> tuple[list[Any], str, str]:
    """Mount every app's router on :data:`api` (once) and return its URL patterns."""
    from soporte.accounts.api import router as accounts_router
    from soporte.escalation.api import router as paging_router
    from soporte.sla.api import router as sla_router
    from soporte.tickets.api import attachments_router
    from soporte.tickets.api import router as tickets_router

    _register_domain_errors()
    api.add_router("/tickets", tickets_router)
    api.add_router("/tickets", sla_router)
    api.add_router("/tickets", paging_router)
    api.add_router("/attachments", attachments_router)
    api.add_router("", accounts_router)
    return api.urls
