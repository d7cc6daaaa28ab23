"""The widget's script and JSON endpoints, and the demo host page.

The endpoints answer CORS for the host pages' origins (``SOPORTE_CHAT_ORIGINS``) and the desk's
own; no cookie is used: the widget sends its conversation token in the ``X-Chat-Token`` header.
Errors are JSON ``{"error": "..."}`` in the customer's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt

from soporte.accounts.models import Contact
from soporte.accounts.models import language_of_code as _lang
from soporte.channels.chat import relay, selectors, services
from soporte.channels.chat.domain import identity
from soporte.channels.chat.models import Conversation
from soporte.feedback import selectors as feedback
from soporte.feedback import services as surveys
from soporte.feedback.forms import AnswerForm
from soporte.feedback.models import Survey
from soporte.kb import deflection
from soporte.kb import selectors as kb_selectors
from soporte.kb.models.uses import Where
from soporte.kb.search import MAX_QUERY
from soporte.tickets import sanitize
from soporte.tickets.attachments import AttachmentRejected
from soporte.tickets.models import AuthorKind, Message
from soporte.tickets.services import TicketError

STATIC = Path(__file__).resolve().parent / "static" / "chat"
TOKEN_HEADER = "X-Chat-Token"
View = Callable[..., HttpResponseBase]


def _allowed_origin(request: HttpRequest) -> str | None:
    origin = request.headers.get("Origin", "").rstrip("/")
    if not origin:
        return None
    own = f"{request.scheme}://{request.get_host()}"
    return origin if origin == own or origin in settings.SOPORTE_CHAT_ORIGINS else None


def _endpoint(*methods: str) -> Callable[[View], View]:
    """A JSON endpoint taking ``methods``: CORS for allowed origins (preflight included), no
    CSRF (no cookie authenticates it), ``Vary: Origin``."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            origin = _allowed_origin(request)
            if request.method == "OPTIONS":
                response: HttpResponseBase = HttpResponse(status=204)
                if origin:
                    response["Access-Control-Allow-Methods"] = ", ".join(methods)
                    response["Access-Control-Allow-Headers"] = f"Content-Type, {TOKEN_HEADER}"
                    response["Access-Control-Max-Age"] = "600"
            elif request.method not in methods:
                response = _error(405, _("Method not allowed."))
            else:
                response = view(request, *args, **kwargs)
            if origin:
                response["Access-Control-Allow-Origin"] = origin
            response["Vary"] = "Origin"
            response["Cache-Control"] = "no-store"
            return response

        return wrapped

    return decorate


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _body(request: HttpRequest) -> dict[str, Any]:
    """The request's fields: a JSON object, or a multipart form (a message with files)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise _Refused(400, _("The request body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise _Refused(400, _("The request body must be a JSON object."))
        return {k: v for k, v in data.items() if isinstance(v, str | int)}
    return request.POST.dict()


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _with_chat(view: Callable[[HttpRequest, Conversation], HttpResponseBase]) -> View:
    """``view(request, conversation)`` for the conversation of the request's token (401 if
    none), in the conversation's language; refusals become JSON errors."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponseBase:
        chat = selectors.by_token(request.headers.get(TOKEN_HEADER, ""))
        if chat is None:
            with override(_lang(request.GET.get("lang", ""))):
                return _error(401, _("This chat is not known: start a new one."))
        with override(chat.lang):
            try:
                return view(request, chat)
            except _Refused as exc:
                return _error(exc.status, str(exc))
            except (services.ChatError, AttachmentRejected) as exc:
                return _error(422, str(exc))
            except TicketError as exc:
                return _error(409, str(exc))

    return wrapped


def _message(message: Message) -> dict[str, Any]:
    if message.author_kind == AuthorKind.AGENT and message.author_agent:
        name = message.author_agent.name
    elif message.author_kind == AuthorKind.CUSTOMER and message.author_contact:
        name = message.author_contact.name
    else:
        name = _("TrackMyVend support")
    return {
        "id": message.pk,
        "author": message.author_kind,
        "name": name,
        "text": sanitize.to_text(message.body),
        "at": message.created_at.isoformat(),
        "files": [a.filename for a in message.attachments.all()],
    }


def _survey(chat: Conversation, *, woke: bool = False) -> dict[str, Any] | None:
    """The chat's ticket's CSAT survey for the widget (its customer's own), or None. It is
    read only when the ticket (as loaded with the chat) is solved or closed, or when ``woke``:
    a long-poll that woke up with messages, one of which may be the solved notice."""
    ticket = chat.ticket
    if ticket is None or not (ticket.is_resolved or woke):
        return None
    return _shown(feedback.current(ticket_id=ticket.pk, contact=chat.contact))


def _shown(survey: Survey | None) -> dict[str, Any] | None:
    """``survey`` as the widget shows it."""
    if survey is None:
        return None
    state = feedback.view(survey, now=timezone.now())
    return {
        "answer": survey.answer,
        "comment": survey.comment,
        "open": state.open,
        "label": state.answered_label,
        "choices": [{"answer": c.answer, "label": c.label} for c in state.choices],
    }


def _state(chat: Conversation, messages: list[Message]) -> dict[str, Any]:
    hours = selectors.support_hours(lang=chat.lang, zone=chat.time_zone, now=timezone.now())
    return {
        "conversation": chat.pk,
        "identified": chat.identified,
        "name": chat.contact.name,
        "ticket": chat.ticket_id,
        "ended": chat.ended_at is not None,
        "open": hours.open,
        "hours": hours.text,
        "messages": [_message(m) for m in messages],
        "survey": _survey(chat),
    }


# ------------------------------------------------------------------------------ the widget


@cache
def _widget_source() -> bytes:
    return (STATIC / "widget.js").read_bytes()


def widget(request: HttpRequest) -> HttpResponse:
    """The widget's script, at a stable address host pages embed (``/chat/widget.js``)."""
    response = HttpResponse(_widget_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@_endpoint("GET")
def hours(request: HttpRequest) -> HttpResponseBase:
    """Whether agents are there now, and when support resumes (before the chat starts)."""
    lang = _lang(request.GET.get("lang", ""))
    zone = services.zone_or(request.GET.get("zone", ""), settings.TIME_ZONE)
    found = selectors.support_hours(lang=lang, zone=zone, now=timezone.now())
    return JsonResponse({"open": found.open, "hours": found.text})


@_endpoint("POST")
def start(request: HttpRequest) -> HttpResponseBase:
    """A new conversation: ``email``, ``organisation``, ``signature`` (identity verification),
    ``name``, ``lang``, ``zone``, ``url``, ``browser``; answers its token and state."""
    try:
        data = _body(request)
    except _Refused as exc:
        return _error(exc.status, str(exc))
    lang = _lang(str(data.get("lang", "")))
    with override(lang):
        try:
            started = services.start(
                email=str(data.get("email", "")),
                organisation_id=str(data.get("organisation", "")),
                signature=str(data.get("signature", "")),
                name=str(data.get("name", "")),
                lang=lang,
                time_zone=str(data.get("zone", "")),
                page_url=str(data.get("url", "")),
                browser=str(data.get("browser", "")),
                now=timezone.now(),
            )
        except services.ChatError as exc:
            return _error(422, str(exc))
        return JsonResponse({"token": started.token, **_state(started.conversation, [])})


@_endpoint("GET")
@_with_chat
def conversation(request: HttpRequest, chat: Conversation) -> HttpResponseBase:
    """The conversation as it stands (a reloaded page resumes it)."""
    services.seen(conversation=chat, now=timezone.now())
    return JsonResponse(_state(chat, selectors.messages_after(chat, 0)))


@_endpoint("GET", "POST")
@_with_chat
def messages(request: HttpRequest, chat: Conversation) -> HttpResponseBase:
    """GET: the messages after ``after``, held until one arrives (long-poll, ``wait`` seconds
    at most, 25 by default). POST: the customer's message (``client_id``, ``body``, ``files``);
    a retry with the same ``client_id`` answers the message already stored."""
    now = timezone.now()
    if request.method == "POST":
        data = _body(request)
        message = services.send(
            conversation=chat,
            client_id=str(data.get("client_id", "")),
            body=str(data.get("body", "")),
            uploads=request.FILES.getlist("files"),
            now=now,
        )
        if chat.ticket is not None and data.get("deflection"):
            deflection.filed(
                token=str(data["deflection"]), contact=chat.contact, ticket=chat.ticket
            )
        return JsonResponse({"message": _message(message), "ticket": chat.ticket_id})
    try:
        after = max(0, int(request.GET.get("after", "0")))
        hold = min(relay.HOLD, max(0.0, float(request.GET.get("wait", relay.HOLD))))
    except ValueError:
        raise _Refused(400, _("after and wait must be numbers.")) from None
    services.seen(conversation=chat, now=now)
    ticket = chat.ticket_id
    found = (
        relay.wait_for(ticket, lambda: selectors.messages_after(chat, after), hold=hold)
        if ticket is not None
        else []
    )
    return JsonResponse(
        {
            "messages": [_message(m) for m in found],
            "ended": chat.ended_at is not None,
            "survey": _survey(chat, woke=bool(found)),
        }
    )


@_endpoint("GET")
@_with_chat
def suggestions(request: HttpRequest, chat: Conversation) -> HttpResponseBase:
    """The articles matching the first message as it is typed (``q``), in the chat's language,
    and the suggestion session's token (``deflection``: send it back with the next query and
    the first message). Nothing once the chat has its ticket."""
    if chat.ticket_id is not None:
        return JsonResponse({"suggestions": [], "deflection": ""})
    token = str(request.GET.get("deflection", ""))[:200]
    try:
        found = deflection.suggest(
            where=Where.WIDGET,
            contact=chat.contact,
            query=request.GET.get("q", ""),
            language=chat.lang,
            token=token,
            now=timezone.now(),
        )
    except deflection.QueryTooLong:
        raise _Refused(400, _("q: at most %(max)d characters.") % {"max": MAX_QUERY}) from None
    shown = [{"title": s.hit.title, "url": s.url} for s in found.suggestions]
    return JsonResponse({"suggestions": shown, "deflection": found.token})


@_endpoint("GET")
def faqs(request: HttpRequest) -> HttpResponseBase:
    """The pinned FAQs in ``lang`` (public, like ``/kb/``): the widget's empty state."""
    pins = kb_selectors.pinned(_lang(request.GET.get("lang", "")))
    return JsonResponse(
        {"faqs": [{"title": a.title, "url": kb_selectors.article_url(a)} for a in pins]}
    )


@_endpoint("POST")
@_with_chat
def survey(request: HttpRequest, chat: Conversation) -> HttpResponseBase:
    """The customer answers the solved ticket's survey in the widget: ``answer`` (up, neutral,
    down) and, optionally, ``comment``; answers the survey as it now stands."""
    found = (
        feedback.current(ticket_id=chat.ticket_id, contact=chat.contact)
        if chat.ticket_id is not None
        else None
    )
    if found is None:
        return _error(404, _("This chat has no survey to answer."))
    data = _body(request)
    form = AnswerForm(data)
    if not form.is_valid():
        return _error(422, " ".join(form.named_errors()))
    try:
        recorded = form.record(found, at=timezone.now())
    except surveys.SurveyError:
        return _error(409, _("This survey no longer takes answers."))
    return JsonResponse({"survey": _shown(recorded)})


@_endpoint("POST")
@_with_chat
def end(request: HttpRequest, chat: Conversation) -> HttpResponseBase:
    """The customer ends the chat; the transcript is emailed to them."""
    services.end(conversation=chat, now=timezone.now())
    return JsonResponse({"ended": True})


# ------------------------------------------------------------------------------ the demo


def demo(request: HttpRequest) -> HttpResponse:
    """A fake TrackMyVend page embedding the widget, signed for a demo contact (``?unsigned``:
    not signed). Served only when the desk runs with ``--demo``."""
    if not settings.SOPORTE_DEMO:
        raise Http404
    lang = _lang(request.GET.get("lang", "es"))
    contact = (
        Contact.objects.select_related("user", "organisation")
        .exclude(organisation__unidentified=True)
        .order_by("pk")
        .first()
    )
    signed = contact is not None and "unsigned" not in request.GET
    context: dict[str, Any] = {"lang": lang, "signed": signed, "contact": contact}
    if signed and contact is not None:
        organisation = str(contact.organisation_id)
        context |= {
            "email": contact.email,
            "organisation": organisation,
            "signature": identity.signature(services.secret(), contact.email, organisation),
        }
    return render(request, "chat/demo.html", context)
