"""A post to a ticket's Slack thread that failed for good (Slack refused it, or every attempt
failed) is said on the ticket's timeline (``delivery_failed``, channel ``slack``), not only on
its outbox row: the agent sees that the customer did not get it and can answer by email."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.channels.slack.outbound import ACK_KEY, REPLY_KEY, TRANSPORT
from soporte.jobs.models import OutboxMessage
from soporte.jobs.outbox import delivery_failed
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Message, Ticket


@receiver(delivery_failed, dispatch_uid="soporte.channels.slack.post_failed")
def _post_failed(sender: Any, *, message_id: int, now: datetime, **kwargs: Any) -> None:
    record_failure(outbox_id=message_id, now=now)


def record_failure(*, outbox_id: int, now: datetime) -> None:
    """Say on its ticket's timeline that Slack post ``outbox_id`` failed for good (nothing for
    a post that belongs to no ticket: a page by direct message, which paging falls back on)."""
    sent = OutboxMessage.objects.filter(pk=outbox_id, transport=TRANSPORT).first()
    if sent is None:
        return
    key = sent.idempotency_key
    message = None
    if key.startswith(REPLY_KEY) and key[len(REPLY_KEY) :].isdigit():
        message = Message.objects.select_related("ticket").filter(pk=key[len(REPLY_KEY) :]).first()
        ticket = message.ticket if message is not None else None
    elif key.startswith(ACK_KEY) and key[len(ACK_KEY) :].isdigit():
        ticket = Ticket.objects.filter(pk=key[len(ACK_KEY) :]).first()
    else:
        return
    if ticket is None:
        return
    timeline.record(
        ticket,
        EventKind.DELIVERY_FAILED,
        at=now,
        channel="slack",
        message=message.pk if message is not None else None,
        to=sent.payload.get("channel", ""),
        error=sent.last_error,
    )
