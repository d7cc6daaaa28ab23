"""One inbound email, exactly once: the single service behind the IMAP poll, the pipe
(``soporte mail ingest``) and the HTTP hook (``POST /hooks/email``).

A message is keyed on its Message-ID within the email channel's scope: delivered again (an IMAP
redelivery after a crash, an MTA retry, two processes at once), it is a ``duplicate`` and writes
nothing. Each message is filed in one transaction: all of it, or nothing.

What it decides, in order:

1. unreadable (too large, no sender address): ``rejected``;
2. loops and noise: our own mail coming back, a bounce (recorded on the ticket of the email it
   reports, ``bounces``), automatic mail (auto-replies, lists, bulk): ``ignored``, never a
   ticket nor an auto-reply;
3. a reply on a ticket (``threads``) from someone who belongs there: ``appended``;
4. else a new ticket from whoever wrote it (``soporte.channels.senders``): ``created``, linked
   to the ticket it tried to continue when its sender does not belong there. Its
   acknowledgement is emailed unless the sender had an auto-reply in the last
   ``AUTO_REPLY_INTERVAL`` (RFC 3834).

The SLA clock starts at ``received_at`` (IMAP INTERNALDATE, or our receipt), never at the
sender's ``Date`` (READING.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import override

from soporte.accounts.models import Agent, Contact, email_is
from soporte.channels import senders
from soporte.channels.email import bounces, parts, threads
from soporte.channels.email.domain.message import InboundMail, TooLarge, parse
from soporte.channels.email.models import AutoReply
from soporte.channels.email.secrets import desk_address, reply_secret
from soporte.db.prepared import Prepared
from soporte.policy import default_policy
from soporte.tickets import intake_updates, sanitize, timeline
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake, supplied
from soporte.tickets.models import Message, Ticket
from soporte.tickets.selectors import MessageKey, keyed_message

SCOPE = threads.SCOPE

AUTO_REPLY_INTERVAL = timedelta(minutes=10)
"""At most one automatic reply per sender in this long (RFC 3834 §2)."""

DEFAULT_SEVERITY = "P2"
"""An email ticket's severity when the policy's email channel names none."""


class Outcome(StrEnum):
    CREATED = "created"
    APPENDED = "appended"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Result:
    """What became of one message (``soporte mail ingest --json`` prints one per line)."""

    outcome: Outcome
    ticket: int | None
    mail: InboundMail | None
    reason: str | None = None

    def as_json(self) -> dict[str, object]:
        mail = self.mail
        return {
            "outcome": str(self.outcome),
            "ticket": self.ticket,
            "message_id": mail.message_id if mail else None,
            "from": mail.from_address if mail else None,
            "subject": mail.subject if mail else None,
            "text": mail.text if mail else None,
            "reason": self.reason,
        }


def ingest(raw: bytes, *, received_at: datetime, now: datetime) -> Result:
    """Read ``raw`` (received by us at ``received_at``) and file it, at ``now``; a message
    over ``SOPORTE_EMAIL_MAX_BYTES`` is rejected unread."""
    try:
        mail = parse(raw, max_bytes=settings.SOPORTE_EMAIL_MAX_BYTES)
    except TooLarge as exc:
        return Result(Outcome.REJECTED, None, None, str(exc))
    return ingest_mail(mail, received_at=received_at, now=now)


def ingest_mail(mail: InboundMail, *, received_at: datetime, now: datetime) -> Result:
    """File ``mail``, read from a message received at ``received_at``, at ``now``."""
    if "@" not in mail.from_address:
        return Result(Outcome.REJECTED, None, mail, "no readable sender address (From)")
    key = MessageKey(SCOPE, mail.message_id)
    known = keyed_message(key)
    if known is not None:
        return Result(Outcome.DUPLICATE, known.ticket_id, mail)
    noise = _noise(mail)
    if noise is not None:
        return Result(Outcome.IGNORED, None, mail, noise)
    if mail.bounce is not None:
        return _bounce(mail, received_at)
    if mail.automatic:
        why = f"automatic message ({mail.automatic}): no ticket, no auto-reply"
        return Result(Outcome.IGNORED, None, mail, why)
    try:
        with transaction.atomic():
            return _file(mail, key, received_at=received_at, now=now)
    except IntegrityError:
        known = keyed_message(key)  # the same message, committed meanwhile by another process
        if known is None:
            raise
        return Result(Outcome.DUPLICATE, known.ticket_id, mail)


def _noise(mail: InboundMail) -> str | None:
    """Why ``mail`` is our own mail coming back, or a desk agent's, if it is."""
    desk = desk_address().lower()
    local, _, domain = mail.from_address.partition("@")
    desk_local, _, desk_domain = desk.partition("@")
    if domain == desk_domain and local.split("+", 1)[0] == desk_local.split("+", 1)[0]:
        return "sent from the desk's own address (a mail loop)"
    if _SENT.first(mail.message_id) is not None:
        return "our own outgoing message came back"
    if _AGENT.first(mail.from_address.strip().lower()) is not None:
        return "sent by one of the desk's agents: they answer in the console"
    return None


# Asked of every message (compiled once: ``soporte.db.prepared``).
_SENT = Prepared(
    lambda message_id: Message.objects.filter(email_message_id=message_id).only("pk")[:1],
    "<sample@message.id>",
)
_AGENT = Prepared(
    lambda address: Agent.objects.filter(email_is(address)).only("pk")[:1], "sample@agent.example"
)
_LAST_AUTO_REPLY = Prepared(
    lambda address: AutoReply.objects.filter(address=address).order_by("-sent_at")[:1],
    "sample@sender.example",
)


def _bounce(mail: InboundMail, received_at: datetime) -> Result:
    assert mail.bounce is not None
    with transaction.atomic():
        ticket, again = bounces.record(mail.bounce, report_id=mail.message_id, at=received_at)
    if ticket is None:
        return Result(Outcome.IGNORED, None, mail, "a bounce of no email of ours")
    if again:
        return Result(Outcome.DUPLICATE, ticket.pk, mail)
    why = f"bounce: {mail.bounce.recipient or ticket.requester.email}: {mail.bounce.reason}"
    return Result(Outcome.IGNORED, ticket.pk, mail, why)


def _file(mail: InboundMail, key: MessageKey, *, received_at: datetime, now: datetime) -> Result:
    thread = threads.thread_of(mail, desk=desk_address(), secret=reply_secret())
    if thread is not None:
        author = threads.belongs(thread.ticket, mail)
        if author is not None:
            _append(thread.ticket, author, mail, key, at=received_at)
            return Result(Outcome.APPENDED, thread.ticket.pk, mail)
    requester = senders.contact_for(mail.from_address, name=mail.from_name, language=mail.language)
    ticket = _open(requester, mail, key, received_at=received_at, now=now)
    if thread is not None:
        timeline.link(ticket, thread.ticket, at=received_at, rule=thread.rule)
    return Result(Outcome.CREATED, ticket.pk, mail)


def _open(
    requester: Contact, mail: InboundMail, key: MessageKey, *, received_at: datetime, now: datetime
) -> Ticket:
    with override(requester.locale):
        chosen = parts.choose(mail.parts, held=0)
    intake = supplied(
        Intake(),
        text=mail.text,
        attached=chosen.screenshot,
        organisation_id=str(requester.organisation_id),
        own_hosts=intake_updates.own_hosts(),
    )
    ticket = tickets.open_ticket(
        requester=requester,
        channel=SCOPE,
        severity=default_policy().channel(SCOPE).severity or DEFAULT_SEVERITY,
        subject=mail.subject,
        body=_body(mail, chosen.notes),
        intake=intake,
        now=now,
        received_at=received_at,
        key=key,
        acknowledge_by_email=_may_auto_reply(mail.from_address, now),
        key_checked=True,
    )
    _complete(ticket, mail, key, chosen)
    return ticket


def _append(
    ticket: Ticket, author: Contact, mail: InboundMail, key: MessageKey, *, at: datetime
) -> None:
    with override(author.locale):
        chosen = parts.choose(mail.parts, held=parts.held(ticket) if mail.parts else 0)
    body = _body(mail, chosen.notes)
    tickets.reply(ticket=ticket, author=author, body=body, at=at, key=key, key_checked=True)
    _complete(ticket, mail, key, chosen)
    if chosen.screenshot:
        intake_updates.record_supplied(ticket, author, "", attached=True, at=at)


def _body(mail: InboundMail, notes: list[str]) -> str:
    """What the sender wrote now (the whole text when no reply could be told from the quote),
    and a note for each attachment left out."""
    text = mail.reply_text.strip() or mail.text.strip()
    return "\n\n".join([text, *notes]) if notes else text


def _complete(ticket: Ticket, mail: InboundMail, key: MessageKey, chosen: parts.Chosen) -> None:
    """Add to the message just written its quoted history and its attachments."""
    quoted = mail.reply_text.strip() and mail.quoted_text.strip()
    if not quoted and not chosen.kept:
        return
    message = keyed_message(key)
    assert message is not None
    if quoted:
        message.quoted = sanitize.from_text(mail.quoted_text)
        message.save(update_fields=["quoted"])
    parts.store(ticket=ticket, message=message, parts=chosen.kept)


def _may_auto_reply(address: str, now: datetime) -> bool:
    """Whether ``address`` may get an automatic reply at ``now`` (RFC 3834): then it is
    recorded as sent."""
    last = _LAST_AUTO_REPLY.first(address)
    if last is not None and last.sent_at > now - AUTO_REPLY_INTERVAL:
        return False
    AutoReply.objects.create(address=address, sent_at=now)
    return True
