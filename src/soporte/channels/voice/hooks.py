"""Twilio's voice webhooks: the call (``POST /hooks/voice``, and the same view as the number's
fallback URL, ``/hooks/voice/fallback``), the voice message (``/hooks/voice/recording``, the
``<Record>`` action) and its text (``/hooks/voice/transcription``).

Each request's ``X-Twilio-Signature`` is checked first, over the URL Twilio called rebuilt from
``SOPORTE_PUBLIC_URL`` (never the Host header: a proxy may change it) and every POSTed
parameter, against ``SOPORTE_TWILIO_AUTH_TOKEN`` (and ``SOPORTE_TWILIO_ALT_AUTH_TOKEN`` while
rotating): 403 and nothing written when it does not match, 404 while no token is configured,
400 naming a parameter soporte cannot read. The answer comes after the commit, with no
provider call inside the request (Twilio waits 15 s at most).

The database down: the call's URL answers 503, so Twilio asks the fallback URL, which then
answers TwiML that still tells the caller the WhatsApp number and records their message (its
callback files the call once the database is back); the callbacks answer 503.

``/hooks/voice/page-ack`` is the keypad of a page's phone call (``paging``): 1 acknowledges.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from soporte import phones
from soporte.channels.voice import paging, services, twiml
from soporte.channels.voice.domain import calls, signature
from soporte.escalation import services as escalation

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
DATABASE_DOWN = (OperationalError, InterfaceError)
TWIML = "text/xml; charset=utf-8"

View = Callable[[HttpRequest], HttpResponse]


def _signed(view: View) -> View:
    """Answer only requests Twilio signed with the configured auth token."""

    @csrf_exempt
    @require_POST
    def checked(request: HttpRequest) -> HttpResponse:
        tokens = [settings.SOPORTE_TWILIO_AUTH_TOKEN, settings.SOPORTE_TWILIO_ALT_AUTH_TOKEN]
        if not tokens[0]:
            raise Http404("the Twilio hooks are not configured")
        url = f"{settings.PUBLIC_BASE_URL}{request.get_full_path()}"
        header = request.headers.get(SIGNATURE_HEADER, "")
        if not signature.verify(tokens, url, request.POST, header):
            log.warning("voice.hook_refused", path=request.path, signed=bool(header))
            return HttpResponse(
                f"wrong or missing {SIGNATURE_HEADER} for {url}",
                status=403,
                content_type="text/plain",
            )
        try:
            return view(request)
        except calls.BadRequest as exc:
            log.warning("voice.hook_unreadable", path=request.path, error=str(exc))
            return HttpResponse(str(exc), status=400, content_type="text/plain")

    return checked


@_signed
def call(request: HttpRequest) -> HttpResponse:
    incoming = calls.read_call(request.POST)
    try:
        answered = services.take_call(incoming, now=timezone.now())
    except DATABASE_DOWN:
        log.exception("voice.call_not_filed", call=incoming.sid)
        return HttpResponse("the desk cannot file the call now", status=503)
    log.info(
        "voice.call",
        call=incoming.sid,
        ticket=answered.ticket.pk,
        created=answered.created,
        paged=answered.paged,
    )
    return _twiml(twiml.answer(answered))


@_signed
def fallback(request: HttpRequest) -> HttpResponse:
    incoming = calls.read_call(request.POST)
    try:
        answered = services.take_call(incoming, now=timezone.now())
    except DATABASE_DOWN:
        log.exception("voice.call_not_filed", call=incoming.sid, fallback=True)
        return _twiml(twiml.unavailable(calls.language_of_number(phones.e164(incoming.caller))))
    log.info("voice.call", call=incoming.sid, ticket=answered.ticket.pk, fallback=True)
    return _twiml(twiml.answer(answered))


@_signed
def recording(request: HttpRequest) -> HttpResponse:
    voice_message = calls.read_recording(request.POST)
    try:
        answered = services.add_recording(voice_message, now=timezone.now())
    except DATABASE_DOWN:
        log.exception("voice.recording_not_filed", recording=voice_message.sid)
        return HttpResponse("the desk cannot file the recording now", status=503)
    log.info("voice.recording", recording=voice_message.sid, ticket=answered.ticket.pk)
    return _twiml(twiml.recorded(answered.lang, answered.ticket.pk))


@_signed
def transcription(request: HttpRequest) -> HttpResponse:
    text = calls.read_transcription(request.POST)
    try:
        answered = services.add_transcription(text, now=timezone.now())
    except DATABASE_DOWN:
        log.exception("voice.transcription_not_filed", recording=text.recording_sid)
        return HttpResponse("the desk cannot file the transcription now", status=503)
    log.info("voice.transcription", recording=text.recording_sid, ticket=answered.ticket.pk)
    return HttpResponse(status=204)


def _twiml(document: str) -> HttpResponse:
    return HttpResponse(document, content_type=TWIML)


@_signed
def page_ack(request: HttpRequest) -> HttpResponse:
    """The keypad of a page's call (``channels.voice.paging``): 1 acknowledges the page for
    the person it called (the link's token names the page and them)."""
    try:
        page, agent = escalation.read_ack_token(request.GET.get("t", ""))
    except escalation.PageError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    pressed = request.POST.get("Digits", "")
    if pressed == paging.ACK_DIGIT:
        try:
            escalation.acknowledge(page=page, agent=agent, via="voice", at=timezone.now())
        except DATABASE_DOWN:
            log.exception("voice.page_ack_not_filed", page=page.pk)
            return HttpResponse("the desk cannot acknowledge the page now", status=503)
        log.info("voice.page_acknowledged", page=page.pk, agent=agent.pk)
    return _twiml(twiml.page_answer(agent.locale, acknowledged=pressed == paging.ACK_DIGIT))
