"""Pages by phone call: Twilio calls the engineer and reads the page twice; pressing 1
acknowledges it (``<Gather>``, whose signed request comes back to ``/hooks/voice/page-ack``)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import override
from twilio.twiml.voice_response import VoiceResponse

from soporte.channels.voice.twiml import SPOKEN
from soporte.jobs.models import OutboxMessage
from soporte.notify.transports import twilio

ACK_DIGIT = "1"


def page_twiml(text: str, *, lang: str, ack_url: str, runbook: str = "") -> str:
    """The call: ``text`` read twice, then the keypad acknowledgement (and where the runbook
    is, when there is one)."""
    spoken = SPOKEN.get(lang, SPOKEN["es"])
    response = VoiceResponse()
    with override(lang):
        gather = response.gather(
            input="dtmf", num_digits=1, timeout=8, action=ack_url, method="POST"
        )
        gather.say(text, language=spoken)
        gather.pause(length=1)
        gather.say(text, language=spoken)
        gather.say(_("Press 1 to acknowledge the page."), language=spoken)
        if runbook:
            gather.say(_("The runbook is at %(link)s") % {"link": runbook}, language=spoken)
        response.say(_("The page is not acknowledged. Goodbye."), language=spoken)
    return str(response)


def enqueue_page(
    *,
    key: str,
    to: str,
    text: str,
    lang: str,
    ack_url: str,
    due_at: datetime,
    max_attempts: int | None,
    runbook: str = "",
) -> OutboxMessage:
    """Queue the call that pages number ``to`` (see :func:`page_twiml`)."""
    twiml = page_twiml(text, lang=lang, ack_url=ack_url, runbook=runbook)
    return twilio.enqueue_call(
        key=key, to=to, twiml=twiml, due_at=due_at, max_attempts=max_attempts
    )
