"""A message to a customer over a channel that failed for good (the provider refused it, or
every attempt failed) is said on its ticket's timeline (``delivery_failed``), not only on its
outbox row: the agent sees that the customer did not get it and can answer another way.

The channels whose failures are told: a post to a ticket's Slack thread (a reply, a notice,
the acknowledgement) and an SMS reply to a caller. Pages (a Slack direct message, an
engineer's SMS) belong to no ticket's conversation: paging falls back on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.channels.slack import outbound as slack
from soporte.channels.voice import replies as sms
from soporte.jobs.models import OutboxMessage
from soporte.jobs.outbox import delivery_failed
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Message, Ticket


@receiver(delivery_failed, dispatch_uid="soporte.channels.delivery_failed")
def _delivery_failed(sender: Any, *, message_id: int, now: datetime, **kwargs: Any) -> None:
    record_failure(outbox_id=message_id, now=now)


def record_failure(*, outbox_id: int, now: datetime) -> None:
    """Say on its ticket's timeline that outbox message ``outbox_id`` failed for good, when it
    carried a ticket's message (or a Slack acknowledgement) to the customer."""
    sent = OutboxMessage.objects.filter(pk=outbox_id, transport__in=("slack", "sms")).first()
    if sent is None:
        return
    key, payload = sent.idempotency_key, sent.payload
    if sent.transport == "sms":
        channel, to = "sms", payload.get("to", "")
        message = _message(_number_after(key, sms.KEY))
    else:
        channel, to = "slack", payload.get("channel", "")
        message = _message(_number_after(key, slack.REPLY_KEY))
    ticket = message.ticket if message is not None else None
    if ticket is None and sent.transport == "slack":
        acknowledged = _number_after(key, slack.ACK_KEY)
        ticket = Ticket.objects.filter(pk=acknowledged).first() if acknowledged else None
    if ticket is None:
        return
    timeline.record(
        ticket,
        EventKind.DELIVERY_FAILED,
        at=now,
        channel=channel,
        message=message.pk if message is not None else None,
        to=to,
        error=sent.last_error,
    )


def _number_after(key: str, prefix: str) -> int | None:
    """The number that follows ``prefix`` in ``key`` (up to a ``:``), if ``key`` has it."""
    if not key.startswith(prefix):
        return None
    number = key[len(prefix) :].split(":")[0]
    return int(number) if number.isdigit() else None


def _message(pk: int | None) -> Message | None:
    return Message.objects.select_related("ticket").filter(pk=pk).first() if pk else None
