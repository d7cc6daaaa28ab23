"""A bounce of an email we sent: recorded on the ticket that email belongs to, and the
recipient's address marked as bouncing (the console shows both)."""

from __future__ import annotations

from datetime import datetime

from soporte.accounts.models import Contact, email_is
from soporte.channels.email.domain.parts import Bounce
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Message, Ticket, TimelineEvent


def record(bounce: Bounce, *, report_id: str, at: datetime) -> tuple[Ticket | None, bool]:
    """Record ``bounce`` (the delivery report ``report_id``, received at ``at``) on the ticket
    whose email it reports; say which ticket, and whether the report was recorded already
    (``None`` when it reports no email of ours)."""
    original = bounce.original_message_id
    sent = Message.objects.select_related("ticket__requester__user")
    message = sent.filter(email_message_id=original).first() if original else None
    if message is None:
        return None, False
    ticket = message.ticket
    if TimelineEvent.objects.filter(
        ticket=ticket, kind=EventKind.EMAIL_BOUNCED, data__report=report_id
    ).exists():
        return ticket, True
    recipient = bounce.recipient.lower() or ticket.requester.email.lower()
    timeline.record(
        ticket,
        EventKind.EMAIL_BOUNCED,
        at=at,
        message=message.pk,
        to=recipient,
        reason=bounce.reason,
        report=report_id,
    )
    Contact.objects.filter(email_is(recipient)).update(
        bounced_at=at, bounce_reason=bounce.reason[:500]
    )
    return ticket, False
