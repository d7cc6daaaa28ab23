"""Replies to a caller by SMS: the carrier of phone tickets (``tickets.replies.CARRIERS``).

A public message on a phone ticket (an agent's reply, the solved notice) whose caller has no
email address but a phone number goes to that number as SMS through Twilio's Messages API
(transport ``sms``, ``notify.transports.twilio``): its text in pieces of at most 1600
characters headed with the ticket's number (``domain.sms``), each an outbox row keyed
``sms:message:<message>:<piece>``, so a reply is sent once however often it is queued. A caller
with an email address is answered by email, as before; one with neither (a withheld number),
or a desk without Twilio's account configured, is not answered at all (``None``).
"""

from __future__ import annotations

from datetime import datetime

from soporte.channels.voice.domain import sms
from soporte.jobs.models import OutboxMessage
from soporte.notify.transports import twilio
from soporte.tickets import sanitize
from soporte.tickets.models import Message, Ticket

KEY = "sms:message:"
"""The outbox key of a message's SMS, before ``<message>:<piece>``."""


def carry(ticket: Ticket, message: Message, now: datetime) -> OutboxMessage | None:
    """Queue public ``message`` of ``ticket`` to the caller by SMS (due at ``now``): the first
    piece's outbox row, or ``None`` when it goes by email or not at all."""
    requester = ticket.requester
    if requester.email or not requester.phone_e164 or not twilio.configured():
        return None
    first = None
    for i, body in enumerate(sms.pieces(sanitize.to_text(message.body), ticket=ticket.pk)):
        sent = twilio.enqueue_sms(
            key=f"{KEY}{message.pk}:{i}", to=requester.phone_e164, body=body, due_at=now
        )
        first = first or sent
    return first
