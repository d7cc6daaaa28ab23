"""A press on a survey's reply button (``domain.survey``), received through the webhook.

The press names the survey by its signed token; it counts only when the survey's ticket is a
conversation of the number that pressed. It records the answer once per wamid (an internal
note keyed like every inbound message; a repeat of the delivery is a duplicate) and answers in
the chat: thanks with the survey page's link (to comment or change the answer), or that the
survey was withdrawn (the ticket was reopened) or is closed, with nothing recorded. A press
that names no survey (a tampered id) or another number's survey is ignored and logged.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from soporte.channels import csat
from soporte.channels.whatsapp import outbound
from soporte.channels.whatsapp.domain.outbound import text_messages
from soporte.channels.whatsapp.domain.payload import Inbound
from soporte.channels.whatsapp.domain.survey import Press
from soporte.channels.whatsapp.models import WhatsAppSender, WhatsAppTicket
from soporte.feedback import links
from soporte.feedback.models import Answer
from soporte.tickets.selectors import MessageKey

log = structlog.get_logger(__name__)

CHANNEL_NAME = "WhatsApp"


def answer(
    press: Press,
    inbound: Inbound,
    key: MessageKey,
    sender: WhatsAppSender,
    *,
    at: datetime,
    now: datetime,
) -> int | None:
    """Take ``press`` (in the caller's transaction): the survey's ticket, or None when it is
    ignored."""
    survey = links.survey_for(press.token)
    theirs = (
        survey is not None
        and WhatsAppTicket.objects.filter(ticket=survey.ticket_id, sender=sender).exists()
    )
    if survey is None or not theirs or press.answer not in Answer.values:
        log.warning(
            "whatsapp.survey_press_ignored",
            wamid=inbound.wamid,
            sender=sender.wa_id,
            survey=survey.pk if survey else None,
            answer=press.answer[:20],
        )
        return None
    at = max(at, survey.sent_at)  # WhatsApp's whole seconds may fall before the buttons went
    taken = csat.take(survey=survey, answer=press.answer, key=key, channel=CHANNEL_NAME, at=at)
    text = csat.reply(survey, press.answer, taken, link=links.url(survey))
    (body,) = text_messages(sender.wa_id, text, reply_to=inbound.wamid)
    outbound.enqueue(key=f"whatsapp:csat:{key.scope}:{key.id}", body=body, due_at=now)
    log.info("whatsapp.survey_press", wamid=inbound.wamid, survey=survey.pk, taken=str(taken))
    return survey.ticket_id
