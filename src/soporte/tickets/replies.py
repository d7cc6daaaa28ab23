"""A reply reaches the customer (READING.md §9): every public agent reply, and the notice that
an agent solved the ticket, goes to the requester by email through the outbox, in their
language, threaded on the ticket (a ticket that came by email starts with the customer's own
message, then the acknowledgement; otherwise the acknowledgement is the thread's root), with
``Re: [#N]`` in the subject, ``Reply-To`` the ticket's reply address (answers land on the
ticket), text and HTML parts, the reply's attachments, ``Cc:`` the ticket's CCs, and a link to
the ticket in the portal. Automatic emails carry ``Auto-Submitted`` (RFC 3834); human replies
do not. Internal notes never leave. A send that fails for good is recorded on the ticket's
timeline.

The solved notice carries the resolution's CSAT survey (READING.md §7) when there is one. The
tickets app does not know surveys: the feedback app fills ``SURVEY_INVITES`` (its
``AppConfig.ready``) with a callable ``(ticket, at) -> SurveyInvite | None``, asked in the
requester's language; the invite (the three answers' labels and absolute links) goes into the
email (three links, text and HTML). A channel's carrier adds the survey to the notice in its own
form (WhatsApp and Slack buttons), and a live chat's widget shows it itself.

Runs inside the caller's transaction: the message, its Message-ID and its email commit together.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.channels.email.domain.outbound import (
    AUTO_GENERATED,
    AUTO_REPLIED,
    clean_subject,
    reply_subject,
    thread_headers,
)
from soporte.channels.email.secrets import ticket_reply_address
from soporte.jobs import outbox
from soporte.jobs.models import OutboxMessage
from soporte.public import public_url
from soporte.tickets import sanitize, timeline
from soporte.tickets.models import (
    AuthorKind,
    Channel,
    EventKind,
    Message,
    MessageKind,
    Ticket,
)
from soporte.tickets.selectors import cc_addresses

EMAIL_SCOPE = str(Channel.EMAIL)
"""The ``provider_scope`` of a message that came by email (its ``provider_id`` is the
sender's Message-ID; the email channel's ingest keys messages so)."""


LIVE_CHANNELS: dict[str, Callable[[Ticket, datetime], bool]] = {}
"""Per channel, whether its customer is there to read a reply live (the chat widget, which
``soporte.channels`` registers): then ``send`` leaves the reply to the channel."""


@dataclass(frozen=True, slots=True)
class SurveyChoice:
    """One answer of a CSAT survey as the customer sees it: ``answer`` (``"up"``), its
    ``label`` (face and word, in the customer's language) and the absolute ``url`` that opens
    the survey with it chosen."""

    answer: str
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class SurveyInvite:
    """The resolution's CSAT survey, best answer first."""

    choices: tuple[SurveyChoice, ...]


SURVEY_INVITES: list[Callable[[Ticket, datetime], SurveyInvite | None]] = []
"""Who knows the survey of a resolution (the feedback app registers itself): the first invite
found goes with the solved notice."""

CARRIERS: dict[str, Callable[[Ticket, Message, datetime], OutboxMessage | None]] = {}
"""Per channel, how a public message reaches the customer over the channel itself (WhatsApp,
Slack's thread; ``soporte.channels`` registers them): it queues the message and returns its
outbox row, or ``None`` when it cannot (then ``send`` emails it, as for any ticket). A carrier
adds the resolution's survey to the solved notice in its own form (buttons:
``soporte.channels.csat``)."""


@dataclass(frozen=True, slots=True)
class Email:
    subject: str
    body: str
    """Plain text."""
    html: str
    """The same as a small, safe HTML document (the message's sanitised body inside)."""
    headers: dict[str, str]


def send(
    ticket: Ticket,
    message: Message,
    *,
    now: datetime,
    invite: Callable[[], SurveyInvite | None] | None = None,
) -> OutboxMessage | None:
    """Queue public ``message`` to the ticket's requester, copied to its CCs, with its
    attachments (due at ``now``) and keep its Message-ID on it; over the ticket's channel
    instead when its carrier takes it (``CARRIERS``); nothing for an internal note or a
    requester without an address. ``invite``: builds the survey the message carries, called
    only when it goes by email (the other channels carry their own)."""
    if message.kind != MessageKind.PUBLIC:
        return None
    live = LIVE_CHANNELS.get(ticket.channel)
    if live is not None and live(ticket, now):
        return None
    carrier = CARRIERS.get(ticket.channel)
    carried = carrier(ticket, message, now) if carrier is not None else None
    address = ticket.requester.email
    if carried is not None or not address:
        return carried
    thread = thread_of(ticket, without=message)
    email = customer_email(
        ticket,
        message,
        thread=thread,
        message_id=outbox.new_message_id(),
        invite=invite() if invite is not None else None,
    )
    message.email_message_id = email.headers["Message-ID"]
    message.save(update_fields=["email_message_id"])
    files = message.attachments.order_by("pk")
    return outbox.enqueue_email(
        key=f"message:{message.pk}",
        to=[address],
        cc=[cc for cc in cc_addresses(ticket) if cc != address.lower()],
        subject=email.subject,
        body=email.body,
        html=email.html,
        headers=email.headers,
        attachments=[outbox.Attached(f.file.name, f.filename, f.content_type) for f in files],
        due_at=now,
    )


def thread_of(ticket: Ticket, *, without: Message) -> list[str]:
    """The Message-IDs of the ticket's emails but ``without``, oldest first: ours
    (acknowledgement, replies, notices) and the customer's (a ticket that came by email starts
    with theirs)."""
    emailed = Q(email_message_id__isnull=False) | Q(
        provider_scope=EMAIL_SCOPE, provider_id__isnull=False
    )
    rows = ticket.messages.filter(emailed).exclude(pk=without.pk)
    ids = rows.order_by("created_at", "pk").values_list("email_message_id", "provider_id")
    return [str(ours or theirs) for ours, theirs in ids]


def tell_solved(ticket: Ticket, *, at: datetime) -> Message:
    """An agent solved the ticket: the customer's notice, in the conversation and by email,
    with the resolution's survey (``SURVEY_INVITES``)."""
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
    send(ticket, notice, now=at, invite=lambda: _requester_invite(ticket, at))
    return notice


def _requester_invite(ticket: Ticket, at: datetime) -> SurveyInvite | None:
    with override(ticket.requester.locale):
        return survey_invite(ticket, at)


def survey_invite(ticket: Ticket, at: datetime) -> SurveyInvite | None:
    """The survey of the ticket's resolution at ``at``, in the active language, if any."""
    for find in SURVEY_INVITES:
        invite = find(ticket, at)
        if invite is not None:
            return invite
    return None


def customer_email(
    ticket: Ticket,
    message: Message,
    *,
    thread: Sequence[str],
    message_id: str,
    invite: SurveyInvite | None = None,
) -> Email:
    """The email carrying ``message`` to the requester, in their language: every email of a
    ticket's conversation but the acknowledgement (:func:`acknowledgement`) is built here.
    ``thread``: the Message-IDs of the ticket's earlier emails, oldest first. Replies go to
    the ticket's reply address; a system notice is marked automatic (RFC 3834). ``invite``:
    the survey's three links, after the message."""
    requester = ticket.requester
    link = public_url(reverse("portal:ticket", args=[ticket.pk]))
    subject = clean_subject(ticket.subject)
    values = {"number": ticket.pk, "subject": subject, "name": requester.name}
    with override(requester.locale):
        lines = [_("Hello %(name)s,") % values]
        if message.author_kind == AuthorKind.SYSTEM:
            title = _("[#%(number)s] Solved: %(subject)s") % values
        else:
            title = reply_subject(ticket.subject, ticket.pk)
            agent = message.author_agent.name if message.author_agent else ""
            intro = _("%(agent)s replied to your ticket #%(number)s:")
            lines.append(intro % {**values, "agent": agent})
        portal = _("See the whole conversation and reply in the portal: %(link)s")
        signature = _("— TrackMyVend support")
        question = _("How did we do? One click tells us:")
    survey_text, survey_markup = _survey_parts(question, invite)
    body = sanitize.to_text(message.body)
    text = "\n\n".join([*lines, body, *survey_text, portal % {"link": link}, ""])
    anchor = f'<a href="{html.escape(link)}">{html.escape(link)}</a>'
    markup = "".join(
        [
            *(f"<p>{html.escape(line)}</p>" for line in lines),
            message.body,
            survey_markup,
            f"<p>{html.escape(portal) % {'link': anchor}}</p>",
            f"<p>{html.escape(signature)}</p>",
        ]
    )
    headers = _headers(ticket.pk, message_id, thread)
    if message.author_kind == AuthorKind.SYSTEM:
        headers |= AUTO_GENERATED
    return Email(title, text + signature, document(markup, lang=requester.locale), headers)


def _survey_parts(question: str, invite: SurveyInvite | None) -> tuple[list[str], str]:
    """The survey's paragraph in the text part (one line per answer) and in the HTML part."""
    if invite is None:
        return [], ""
    text = "\n".join([question, *(f"{c.label}: {c.url}" for c in invite.choices)])
    links = " &nbsp; ".join(
        f'<a href="{html.escape(c.url)}">{html.escape(c.label)}</a>' for c in invite.choices
    )
    return [text], f"<p>{html.escape(question)}<br>{links}</p>"


def acknowledgement(
    number: int,
    *,
    subject: str,
    body: str,
    markup: str,
    lang: str,
    ticket_subject: str,
    message_id: str,
    answers: str | None,
) -> Email:
    """The acknowledgement email of new ticket ``number`` (``subject`` and plain ``body`` as
    ``tickets.acknowledgement`` wrote them in ``lang``, ``markup`` the body as its message
    stores it): the thread's root, marked as an
    automatic reply (RFC 3834). ``answers``: the Message-ID of the customer's email the ticket
    came from, which it then answers (``Re: [#N] <their subject>``)."""
    headers = _headers(number, message_id, [answers] if answers else []) | AUTO_REPLIED
    if answers:
        subject = reply_subject(ticket_subject, number)
    return Email(subject, body, document(markup, lang=lang), headers)


def document(markup: str, *, lang: str) -> str:
    """A customer email's HTML part: sanitised ``markup`` in a bare document."""
    return (
        f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8"></head>'
        f"<body>{markup}</body></html>"
    )


def _headers(number: int, message_id: str, thread: Sequence[str]) -> dict[str, str]:
    return {
        "Message-ID": message_id,
        "Reply-To": ticket_reply_address(number),
        **thread_headers(thread),
    }


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
