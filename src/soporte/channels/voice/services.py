"""One call to the emergency line, exactly once, and what Twilio sends after it.

:func:`take_call` files the call as a ticket keyed on its ``CallSid`` (``MessageKey("phone",
CallSid)``): Twilio's retries and its fallback URL find the ticket already made and write
nothing. Who calls is their number (``senders.contact_by_phone``); an unknown number lands with
the unidentified senders (``senders.contact_for_phone``), a withheld one with the one "number
withheld" contact there, so a call is never lost. The ticket's route is the policy's
(``routing.route_new_ticket``): a plan entitled to the phone channel gets a P0 at T3, paged at
once, with the 15-minute 24/7 channel clock; any other plan an email-grade ticket at the
email channel's severity, whose acknowledgement names the channels the plan includes.

:func:`add_recording` and :func:`add_transcription` append the caller's voice message (its URL
at Twilio) and its text, once per ``RecordingSid``, as the caller's messages; a callback for a
call soporte never filed (the database was down when it rang) files the call first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte import phones
from soporte.accounts.models import Contact
from soporte.channels import senders
from soporte.channels.email.ingest import DEFAULT_SEVERITY
from soporte.channels.voice.domain.calls import (
    Call,
    Recording,
    Transcription,
    language_of_number,
)
from soporte.policy import default_policy
from soporte.tickets import services as tickets
from soporte.tickets.domain import routing
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Channel, Message, Ticket
from soporte.tickets.selectors import MessageKey, keyed_message

SCOPE = str(Channel.PHONE)
"""The ``provider_scope`` of the line's messages: ids are Twilio's (``CA…``, ``RE…``)."""
WITHHELD = "tel:withheld"
"""The username of the contact every call from a withheld or unreadable number is filed on."""


@dataclass(frozen=True, slots=True)
class Answered:
    """A call's ticket, its caller and whether this request opened it."""

    ticket: Ticket
    caller: Contact
    created: bool

    @property
    def lang(self) -> str:
        return self.caller.locale

    @property
    def identified(self) -> bool:
        return not self.caller.organisation.unidentified

    @property
    def paged(self) -> bool:
        """An entitled caller's ticket, which paged on-call when it opened (a P0)."""
        ticket = self.ticket
        return ticket.channel_entitled and routing.pages_on_open(default_policy(), ticket.severity)


def take_call(call: Call, *, now: datetime) -> Answered:
    """The call's ticket: made now (received at ``now``), or the one an earlier request for
    the same call made."""
    key = MessageKey(SCOPE, call.sid)
    known = keyed_message(key)
    if known is not None:
        ticket = known.ticket
        return Answered(ticket, ticket.requester, created=False)
    caller = _caller(call)
    policy = default_policy()
    with override(caller.locale):
        subject = _("Call to the emergency line from %(number)s") % {"number": _number(call)}
        lines = [subject + (f" ({call.caller_name})" if call.caller_name else "")]
        if call.called:
            lines.append(_("Number called: %(number)s") % {"number": call.called})
        lines.append(_("Twilio call: %(sid)s") % {"sid": call.sid})
    ticket = tickets.open_ticket(
        requester=caller,
        channel=SCOPE,
        # An email's severity: the policy's phone rule makes an entitled plan's call its P0.
        severity=policy.channel(str(Channel.EMAIL)).severity or DEFAULT_SEVERITY,
        subject=subject,
        body="\n".join(lines),
        intake=Intake(),
        now=now,
        key=key,
    )
    return Answered(ticket, caller, created=True)


def add_recording(recording: Recording, *, now: datetime) -> Answered:
    """Append the caller's voice message (once per recording) to the call's ticket."""
    answered = take_call(recording.call, now=now)
    with override(answered.lang):
        if recording.seconds is None:
            body = _("Voice message: %(url)s") % {"url": recording.url}
        else:
            body = _("Voice message (%(seconds)s s): %(url)s") % {
                "seconds": recording.seconds,
                "url": recording.url,
            }
    _append(answered, body, MessageKey(SCOPE, recording.sid), now)
    return answered


def add_transcription(transcription: Transcription, *, now: datetime) -> Answered:
    """Append the text of the caller's voice message (once per recording), or say that it
    could not be transcribed."""
    answered = take_call(transcription.call, now=now)
    with override(answered.lang):
        if transcription.completed and transcription.text:
            body = _("Transcription of the voice message: %(text)s") % {"text": transcription.text}
        else:
            body = _("Twilio could not transcribe the voice message.")
    key = MessageKey(SCOPE, f"{transcription.recording_sid}:transcription")
    _append(answered, body, key, now)
    return answered


def _append(answered: Answered, body: str, key: MessageKey, now: datetime) -> Message:
    return tickets.reply(ticket=answered.ticket, author=answered.caller, body=body, at=now, key=key)


def _number(call: Call) -> str:
    return phones.e164(call.caller) or call.caller[:40]


def _caller(call: Call) -> Contact:
    """Who calls: the contact with the number, else a new unidentified one (greeted in the
    number's country's language), else the "number withheld" contact."""
    known = senders.contact_by_phone(call.caller)
    if known is not None:
        return known
    line = phones.e164(call.caller)
    if line is not None:
        language = language_of_number(line)
        return senders.contact_for_phone(line, name=call.caller_name, language=language)
    place = senders.unidentified_place()
    with override(place.locale):
        name = _("Number withheld")
    return senders.contact_without_address(username=WITHHELD, organisation=place, name=name)
