"""What the caller hears (TwiML built with the ``twilio`` library, protocols.md §4.4), in the
caller's language: ``<Say language="es-MX">`` or ``"en-US"``.

Every answer ends by recording a voice message (``<Record>``): its ``action`` appends the
recording to the ticket, its ``transcribeCallback`` the text.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from twilio.twiml.voice_response import VoiceResponse

from soporte.channels.voice.services import Answered
from soporte.policy import default_policy
from soporte.public import public_url
from soporte.tickets.acknowledgement import listed
from soporte.tickets.domain import routing

SPOKEN = {"es": "es-MX", "en": "en-US"}
"""``<Say language>`` per desk language."""
MAX_RECORDING_SECONDS = 300


def answer(answered: Answered) -> str:
    """The call's greeting: paged (an entitled caller), or which channels the plan includes and
    the WhatsApp number (a known contact), or the WhatsApp number (an unknown one); then the
    voice message."""
    policy = default_policy()
    ticket = answered.ticket
    with override(answered.lang):
        values = {"number": ticket.pk, "whatsapp": policy.channel("whatsapp").address}
        if answered.paged:
            lines = [
                _("TrackMyVend emergency line."),
                _("We have paged the on-call engineer. Your ticket number is %(number)s.") % values,
            ]
        elif answered.identified:
            lang = answered.lang
            included = routing.included_channels(policy, ticket.plan)
            values["plan"] = policy.plan(ticket.plan).name(lang)
            values["channels"] = listed([policy.channel(c).name(lang) for c in included])
            lines = [
                _("TrackMyVend support. This emergency line is part of the Enterprise plan."),
                _("Your plan, %(plan)s, includes: %(channels)s.") % values,
                _("For urgent matters, write to us on WhatsApp at %(whatsapp)s.") % values,
                _("We have logged your call as ticket %(number)s.") % values,
            ]
        else:
            lines = [
                _("TrackMyVend support. We do not recognise this number."),
                _("This emergency line is for Enterprise customers.")
                + " "
                + _("For urgent matters, write to us on WhatsApp at %(whatsapp)s.") % values,
                _("We have logged your call as ticket %(number)s.") % values,
            ]
        lines.append(
            _(
                "After the tone, tell us what is happening, your name, your company and how to "
                "reach you. Press the hash key or hang up when you are done."
            )
        )
        return _record(lines, answered.lang)


def recorded(lang: str, number: int) -> str:
    """After the voice message: thanks, and goodbye."""
    with override(lang):
        text = _("Thank you. We added your message to ticket %(number)s. Goodbye.") % {
            "number": number
        }
    response = VoiceResponse()
    response.say(text, language=SPOKEN[lang])
    response.hangup()
    return str(response)


def page_answer(lang: str, *, acknowledged: bool) -> str:
    """What the person paged hears after pressing a key."""
    with override(lang):
        if acknowledged:
            text = _("Page acknowledged. Thank you.")
        else:
            text = _("The page is not acknowledged. Goodbye.")
    response = VoiceResponse()
    response.say(text, language=SPOKEN.get(lang, SPOKEN["es"]))
    response.hangup()
    return str(response)


def unavailable(lang: str) -> str:
    """The fallback URL's answer while the desk cannot file the call (its database is down):
    the caller still hears the WhatsApp number and may leave a message, which files the call
    once the desk is back (the recording's callback carries the call)."""
    with override(lang):
        lines = [
            _("TrackMyVend emergency line. We cannot log your call right now."),
            _("For urgent matters, write to us on WhatsApp at %(whatsapp)s.")
            % {"whatsapp": default_policy().channel("whatsapp").address},
            _(
                "After the tone, tell us what is happening, your name, your company and how to "
                "reach you. Press the hash key or hang up when you are done."
            ),
        ]
        return _record(lines, lang)


def _record(lines: list[str], lang: str) -> str:
    response = VoiceResponse()
    for line in lines:
        response.say(line, language=SPOKEN[lang])
    response.record(
        action=public_url(reverse("voice:recording")),
        method="POST",
        max_length=MAX_RECORDING_SECONDS,
        timeout=10,
        finish_on_key="#",
        play_beep=True,
        transcribe=True,
        transcribe_callback=public_url(reverse("voice:transcription")),
    )
    response.say(_("We did not receive a message. Goodbye."), language=SPOKEN[lang])
    return str(response)
