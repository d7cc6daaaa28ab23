"""A reply reaches the customer (READING.md §9): every public agent reply, and the notice that
an agent solved the ticket, goes to the requester by email through the outbox, in their
language, threaded on the ticket (the acknowledgement is the thread's root), with ``[#N]`` in
the subject and a link to the ticket in the portal. Internal notes never leave. A send that
fails for good is recorded on the ticket's timeline.

Runs inside the caller's transaction: the message, its Message-ID and its email commit together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.jobs import outbox
from soporte.jobs.models import OutboxMessage
from soporte.public import public_url
from soporte.tickets import sanitize, timeline
from soporte.tickets.models import AuthorKind, EventKind, Message, MessageKind, Ticket

REFERENCES = 10
"""At most this many Message-IDs in ``References``: the thread's root and the latest ones."""


LIVE_CHANNELS: dict[str, Callable[[Ticket, datetime], bool]] = {}
"""Per channel, whether its customer is there to read a reply live (the chat widget, which
``soporte.channels`` registers): then ``send`` leaves the reply to the channel."""


@dataclass(frozen=True, slots=True)
class Email:
    subject: str
    body: str
    headers: dict[str, str]


def send(ticket: Ticket, message: Message, *, now: datetime) -> OutboxMessage | None:
    """Queue public ``message`` to the ticket's requester (due at ``now``) and keep its
    Message-ID on it; nothing for an internal note or a requester without an address."""
    address = ticket.requester.email
    if message.kind != MessageKind.PUBLIC or not address:
        return None
    live = LIVE_CHANNELS.get(ticket.channel)
    if live is not None and live(ticket, now):
        return None
    earlier = ticket.messages.exclude(pk=message.pk).exclude(email_message_id=None)
    thread = [str(m) for m in earlier.values_list("email_message_id", flat=True)]
    email = customer_email(ticket, message, thread=thread, message_id=outbox.new_message_id())
    message.email_message_id = email.headers["Message-ID"]
    message.save(update_fields=["email_message_id"])
    return outbox.enqueue_email(
        key=f"message:{message.pk}",
        to=[address],
        subject=email.subject,
        body=email.body,
        headers=email.headers,
        due_at=now,
    )


def tell_solved(ticket: Ticket, *, at: datetime) -> Message:
    """An agent solved the ticket: the customer's notice, in the conversation and by email."""
    with override(ticket.requester.locale):
        text = _(
            "We marked your ticket #%(number)s as solved. If the problem is still there, reply "
            "in the portal and we will reopen it."
        ) % {"number": ticket.pk}
    notice = Message(
        ticket=ticket,
        kind=MessageKind.PUBLIC,
        author_kind=AuthorKind.SYSTEM,
        body=sanitize.from_text(text),
        created_at=at,
    )
    notice.save(force_insert=True)
    send(ticket, notice, now=at)
    return notice


def customer_email(
    ticket: Ticket, message: Message, *, thread: Sequence[str], message_id: str
) -> Email:
    """The email carrying ``message`` to the requester, in their language: every email of a
    ticket's conversation is built here. ``thread``: the Message-IDs of the ticket's earlier
    emails, oldest (the acknowledgement) first."""
    requester = ticket.requester
    link = public_url(reverse("portal:ticket", args=[ticket.pk]))
    values = {"number": ticket.pk, "subject": ticket.subject, "name": requester.name}
    with override(requester.locale):
        lines = [_("Hello %(name)s,") % values, ""]
        if message.author_kind == AuthorKind.SYSTEM:
            subject = _("[#%(number)s] Solved: %(subject)s") % values
        else:
            subject = _("[#%(number)s] Re: %(subject)s") % values
            agent = message.author_agent.name if message.author_agent else ""
            intro = _("%(agent)s replied to your ticket #%(number)s:")
            lines += [intro % {**values, "agent": agent}, ""]
        portal = _("See the whole conversation and reply in the portal: %(link)s")
        lines += [sanitize.to_text(message.body), "", portal % {"link": link}, ""]
        lines += [_("— TrackMyVend support")]
    headers = {"Message-ID": message_id}
    if thread:
        kept = [thread[0], *thread[1:][-(REFERENCES - 1) :]]
        headers |= {"In-Reply-To": thread[-1], "References": " ".join(kept)}
    return Email(subject, "\n".join(lines), headers)


def record_failure(*, outbox_id: int, now: datetime) -> None:
    """A customer's email failed for good: say so on its ticket's timeline (nothing for an
    email that carried no ticket message)."""
    sent = OutboxMessage.objects.filter(pk=outbox_id, transport="email").first()
    if sent is None:
        return
    sent_id = (sent.payload.get("headers") or {}).get("Message-ID")
    messages = Message.objects.select_related("ticket")
    message = messages.filter(email_message_id=sent_id).first() if sent_id else None
    if message is None:
        return
    timeline.record(
        message.ticket,
        EventKind.EMAIL_FAILED,
        at=now,
        message=message.pk,
        to=", ".join(sent.payload.get("to") or []),
        error=sent.last_error,
    )
