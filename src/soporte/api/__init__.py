"""The REST API: one NinjaAPI at ``/api/`` (OpenAPI 3.1 at ``/api/openapi.json``, docs at
``/api/docs``), its authentication, and the one error shape every operation answers with.

Authentication (either, on every operation): a bearer API token (``Authorization: Bearer
sop_...``, see :func:`soporte.accounts.services.authenticate_token`) or the browser session;
a session must pass Django's CSRF check for unsafe methods. Anonymous callers get 401.

Errors are always JSON: ``{"detail": "message"}``, and for invalid input (422)
``{"detail": [{"field": "subject", "source": "body", "message": "..."}]}``. Every 4xx an
operation can answer is in its ``responses`` (see :func:`errors`). A ticket the caller may not
see answers 404, exactly like one that does not exist. A caller who may never use an operation
(a contact creating contacts) gets 403 before their input is validated (see :func:`only`).

The routers live in each app's ``api.py`` and take their building blocks from here; this
module imports no router. ``soporte.config.urls`` mounts them on :data:`api`, with the
handlers of the apps' own errors, and serves it at ``/api/``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Strict,
)
from pydantic_core import core_schema

from soporte.accounts.models import Agent, Contact, Role
from soporte.accounts.services import authenticate_token
from soporte.text import is_blank, one_line

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
    400: "Malformed request: the body is not a JSON object, not UTF-8, or not a valid form upload.",
    401: "No valid credentials: send `Authorization: Bearer sop_...` or sign in.",
    403: "Signed in, but this role may not do this (or the CSRF check failed).",
    404: "No such object, or one the caller may not see.",
    409: "The ticket cannot take this change in its current state, or the `external_id` "
    "already opened a ticket the caller may not see (the detail says why).",
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
    if is_blank(value):
        raise ValueError("must not be blank (spaces and invisible characters do not count)")
    return value


@functools.cache
def _not_blank_pattern() -> str:
    """A character that shows (not whitespace, a control or a format character of the Basic
    Multilingual Plane: what ``soporte.text.is_blank`` does not count), and no NUL. Built when
    the document is first written, not at import."""
    blank = [c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and is_blank(chr(c))]
    ranges: list[tuple[int, int]] = []
    for c in blank:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    shown = "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)
    return f"^[^\\u0000]*[^{shown}][^\\u0000]*$"


class _TextRule:
    """Pydantic metadata: ``check`` after the type's own checks, and the ``pattern`` that
    states it in the schema (a callable, written when the document is)."""

    def __init__(self, check: Callable[[str], str], pattern: Callable[[], str]) -> None:
        self.check, self.pattern = check, pattern

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {**handler(schema), "pattern": self.pattern()}


NO_NUL_PATTERN = "^[^\\u0000]*$"
CLEAN = _TextRule(_clean_text, lambda: NO_NUL_PATTERN)
"""Text both databases can store: no NUL, no lone surrogates (lone surrogates are not valid
JSON text anyway, so the pattern states the NUL rule; add a ``max_length`` too)."""
ONE_LINE = AfterValidator(one_line)
"""A one-line field (a subject): line breaks, controls and runs of spaces folded into one
space, invisible characters dropped (``soporte.text.one_line``)."""
NOT_BLANK = _TextRule(_not_blank, _not_blank_pattern)
"""Text that shows a character; follows ``CLEAN``, whose pattern its own includes."""


RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
BodyRowId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
"""A row id in a JSON body: a JSON integer (``"4"`` or ``4.0`` is refused, as the schema says)."""
Flag = Annotated[bool, Strict()]
"""A boolean in a JSON body: ``true`` or ``false`` (``0``, ``"yes"`` are refused)."""

_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_text(value: Any) -> Any:
    if not isinstance(value, str) or not _ISO_INSTANT.match(value):
        raise ValueError(
            "expected an ISO 8601 date and time with its zone, e.g. 2026-12-01T09:00-06:00"
        )
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
"""An instant: ISO 8601 text with its zone (a number, which pydantic would read as seconds
since 1970, is refused, as the schema's ``date-time`` says)."""


class Input(Schema):
    """A request body. A field the operation does not know is refused (422 naming it), never
    ignored: ``{"internal": true}`` for ``{"kind": "internal"}`` must not send a note to the
    customer. The document says so (``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid")


class Page(Schema):
    count: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int


Limit = Annotated[int, Field(ge=1, le=200, description="Page size (1-200).")]
Offset = Annotated[int, Field(ge=0, le=2**31 - 1, description="Items to skip.")]


# ------------------------------------------------------------------------ callers

Check = Callable[[AbstractBaseUser], object]
"""Whether a caller may use an operation at all: raises ``Forbidden`` if not."""


def _checked(user: AbstractBaseUser, check: Check | None) -> AbstractBaseUser:
    if check is not None:
        check(user)
    return user


class BearerToken(HttpBearer):
    """``Authorization: Bearer sop_...``: an agent's or an integration's API token (then
    ``check``, if given)."""

    def __init__(self, check: Check | None = None) -> None:
        super().__init__()
        self.check = check

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        if not _TOKEN.fullmatch(token):
            return None
        agent = authenticate_token(token, now=timezone.now())
        if agent is None or not agent.user.is_active:
            return None
        return _checked(agent.user, self.check)


class BrowserSession(APIKeyCookie):
    """The Django session of a signed-in contact or agent; unsafe methods need the CSRF token
    (``X-CSRFToken`` header) like any browser form. Then ``check``, if given."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, check: Check | None = None) -> None:
        super().__init__(csrf=False)  # checked below, only once the session is known
        self.check = check

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        if not key or not _SESSION_KEY.fullmatch(key):
            return None
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the csrftoken cookie in X-CSRFToken")
        assert isinstance(user, AbstractBaseUser)
        return _checked(user, self.check)


def only(check: Check) -> list[BearerToken | BrowserSession]:
    """An operation's ``auth`` for callers that ``check`` lets through: the others get 403
    before their input is validated (a 422 would tell them how to shape the request)."""
    return [BearerToken(check), BrowserSession(check)]


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


ADMINS = only(require_admin)
"""``auth`` of the operations only administrators may use."""
PEOPLE = only(actor_of)
"""``auth`` of the operations for agents and contacts (not an account that is neither)."""


def agents_only(action: str) -> list[BearerToken | BrowserSession]:
    """``auth`` of the operations only agents may use; the 403 says they may not ``action``."""
    return only(lambda user: agent_or_403(user, action))


# ------------------------------------------------------------------------ the API


class UtcEncoder(NinjaJSONEncoder):
    """Times are written in UTC with ``Z`` (``2026-12-01T15:00:00.000Z``), whatever zone they
    were computed in: one form in every answer."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and o.tzinfo is not None:
            o = o.astimezone(UTC)
        return super().default(o)


class ApiRenderer(JSONRenderer):
    encoder_class = UtcEncoder


class ObjectParser(Parser):
    """Every JSON body is an object: a list or a bare value is a malformed request (400)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


URI_TOO_LONG = {
    "description": "The URL is longer than the HTTP server takes (4,094 bytes): answered by "
    "gunicorn in front of the API, as a short HTML page, never by an operation."
}


class SoporteApi(NinjaAPI):
    """The API, whose document also states what the server in front of it may answer."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in document["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault("414", URI_TOO_LONG)
        return document


api = SoporteApi(
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
        "not see answers 404, like one that does not exist.\n\n"
        "**Times** are answered in UTC with `Z` (`2026-12-01T15:00:00.000Z`); times sent "
        "must carry a zone (`Z` or an offset)."
    ),
    renderer=ApiRenderer(),
    parser=ObjectParser(),
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


def error_response(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    """The API's error answer: ``{"detail": detail}`` with ``status``."""
    response = api.create_response(request, {"detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="soporte"'
    return response


# Ninja types handlers loosely (an exception or its class): each takes the exception it is
# registered for.


def _on_validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(request, 422, _field_errors(exc.errors))


def _on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    status = exc.status_code
    message = str(exc)
    if status == 401:
        message = "authentication required: send Authorization: Bearer sop_... or sign in"
    elif status == 400 and exc.__cause__ is not None:  # ninja's "Cannot parse request body"
        message = f"{message}: {exc.__cause__}"
    return error_response(request, status, message)


def _on_404(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(request, 404, "not found")


def _on_anything(request: HttpRequest, exc: Any) -> HttpResponse:
    """Client mistakes Django reports as exceptions become 400; anything else is a bug: it is
    logged with its traceback and answered in the same shape (never a debug page)."""
    if isinstance(exc, SuspiciousOperation | MultiPartParserError | UnicodeDecodeError):
        log.info("api.bad_request", extra={"path": request.path, "error": str(exc)})
        return error_response(request, 400, f"malformed request: {type(exc).__name__}")
    log.exception("api.unhandled", extra={"path": request.path})
    return error_response(request, 500, "internal error (logged)")


api.add_exception_handler(ValidationError, _on_validation_error)
api.add_exception_handler(HttpError, _on_http_error)
api.add_exception_handler(Http404, _on_404)
api.add_exception_handler(Exception, _on_anything)


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any ``/api/...`` address no operation has: the API's own 404, never Django's page."""
    return error_response(request, 404, f"not found: no API operation at {request.path}")
