"""What the console shows of a WhatsApp ticket: whether the 24-hour window is open (and until
when), how replies go while it is closed, and what became of each message sent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from soporte.channels.whatsapp.domain.window import reached, window_closes_at, window_open
from soporte.channels.whatsapp.models import (
    ReplyRoute,
    WhatsAppSent,
    WhatsAppStatus,
    WhatsAppTicket,
)
from soporte.channels.whatsapp.outbound import TRANSPORT, closed_window_route, templates
from soporte.jobs.models import OutboxMessage
from soporte.tickets.models import Ticket


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of a ticket message sent over WhatsApp: ``queued``, ``accepted``, a status
    the callbacks reported (``sent``, ``delivered``, ``read``, ``failed``), or ``not_sent``."""

    state: str
    error: str = ""


@dataclass(frozen=True, slots=True)
class Window:
    wa_id: str
    open: bool
    closes_at: datetime | None
    route: str
    """``template`` or ``email``: how replies go while the window is closed."""
    template: str
    templates: list[str]
    email: str
    """The requester's address (empty: email cannot reach them)."""
    deliveries: dict[int, Delivery] = field(default_factory=dict)


def window(ticket: Ticket, *, now: datetime) -> Window | None:
    """The WhatsApp side of ``ticket`` at ``now`` (``None`` for a ticket that is not a WhatsApp
    conversation)."""
    conversation = WhatsAppTicket.objects.select_related("sender").filter(ticket=ticket).first()
    if conversation is None:
        return None
    last = conversation.sender.last_inbound_at
    route, template = closed_window_route(conversation)
    return Window(
        wa_id=conversation.sender.wa_id,
        open=window_open(last, now),
        closes_at=window_closes_at(last),
        route=str(route),
        template=template,
        templates=templates(),
        email=ticket.requester.email,
        deliveries=deliveries(ticket),
    )


def deliveries(ticket: Ticket) -> dict[int, Delivery]:
    """Per message of ``ticket`` sent over WhatsApp, what became of it (its first piece)."""
    queued = OutboxMessage.objects.filter(transport=TRANSPORT, payload__ticket=ticket.pk).order_by(
        "pk"
    )
    sent = {s.outbox_key: s.wamid for s in WhatsAppSent.objects.filter(ticket=ticket)}
    statuses: dict[str, list[str]] = defaultdict(list)
    errors: dict[str, str] = {}
    for status in WhatsAppStatus.objects.filter(wamid__in=sent.values()):
        statuses[status.wamid].append(status.status)
        if status.errors:
            errors[status.wamid] = status.errors
    found: dict[int, Delivery] = {}
    for row in queued:
        message = row.payload.get("message")
        if not isinstance(message, int) or message in found:
            continue
        wamid = sent.get(row.idempotency_key)
        if row.status == OutboxMessage.Status.FAILED:
            found[message] = Delivery("not_sent", row.last_error)
        elif wamid is None:
            found[message] = Delivery("queued")
        else:
            state = reached(statuses[wamid]) or "accepted"
            found[message] = Delivery(state, errors.get(wamid, "") if state == "failed" else "")
    return found


__all__ = ["Delivery", "ReplyRoute", "Window", "deliveries", "window"]
