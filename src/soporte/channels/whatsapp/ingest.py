"""A webhook delivery, filed exactly once: every message becomes a ticket's message (or a
note, for a reaction), every status callback a ``WhatsAppStatus``.

Each message is keyed on its wamid within our number's scope (``whatsapp:<phone-number-id>``):
delivered again, it is a ``duplicate`` and writes nothing. Each is filed in its own
transaction, with the sender's row locked (two messages of one number never open two tickets).
Where it goes (``domain.window.continuation``): the number's latest ticket while open; after it
is solved, the same ticket (reopened) within the policy's ``reopen_days``, else a new ticket
linked to it. A press on a CSAT survey's button answers the survey (``surveys``) and touches
no ticket's conversation. The clocks start at WhatsApp's timestamp (READING.md §2). A new ticket's
acknowledgement is sent back over WhatsApp (not by email). A media file is fetched after the
commit by a job (``media``), so the webhook answers at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import Contact
from soporte.channels import senders
from soporte.channels.whatsapp import outbound, render, surveys
from soporte.channels.whatsapp.domain.payload import Inbound, StatusUpdate, parse
from soporte.channels.whatsapp.domain.survey import read_press
from soporte.channels.whatsapp.domain.window import Continuation, continuation
from soporte.channels.whatsapp.models import WhatsAppSender, WhatsAppStatus, WhatsAppTicket
from soporte.db.insert import insert_rows
from soporte.jobs import services as jobs
from soporte.policy import default_policy
from soporte.text import one_line
from soporte.tickets import intake_updates, sanitize, timeline
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake, supplied
from soporte.tickets.models import AuthorKind, Channel, Message, MessageKind, Ticket
from soporte.tickets.selectors import MessageKey, keyed_message

CHANNEL = str(Channel.WHATSAPP)
DEFAULT_SEVERITY = "P2"
"""A WhatsApp ticket's severity when the policy's channel names none (as for email)."""
DEFAULT_REOPEN_DAYS = 7
FETCH_MEDIA = "whatsapp.media"
SUBJECT_LENGTH = 80


class Outcome(StrEnum):
    CREATED = "created"
    APPENDED = "appended"
    NOTED = "noted"
    ANSWERED = "answered"
    """A press on a CSAT survey's button (``surveys``)."""
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class Result:
    wamid: str
    outcome: Outcome
    ticket: int | None


@dataclass(slots=True)
class Received:
    """What became of a delivery (the hook answers it as JSON)."""

    messages: list[Result] = field(default_factory=list)
    statuses: int = 0
    """Status callbacks recorded now (a repeat is not counted)."""
    skipped: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "messages": [
                {"id": r.wamid, "outcome": str(r.outcome), "ticket": r.ticket}
                for r in self.messages
            ],
            "statuses": self.statuses,
            "skipped": self.skipped,
        }


def receive(raw: bytes, *, now: datetime) -> Received:
    """File every message and status of the (verified) webhook body ``raw`` at ``now``.
    Raises ``PayloadError`` for a body that is not a webhook, before writing anything."""
    delivery = parse(raw)
    received = Received(skipped=delivery.skipped)
    for inbound in delivery.messages:
        received.messages.append(file_message(inbound, now=now))
    for update in delivery.statuses:
        received.statuses += record_status(update, now=now)
    return received


def scope(business: str) -> str:
    """The scope of the wamids sent to our number ``business`` (``MessageKey``)."""
    return f"{CHANNEL}:{business or '-'}"


def file_message(inbound: Inbound, *, now: datetime) -> Result:
    """File one message, once. Its wamid is looked up once, under the sender's lock (``_file``):
    a repeat is rare (Meta's retries), a new message the rule."""
    key = MessageKey(scope(inbound.business), inbound.wamid)
    try:
        with transaction.atomic():
            return _file(inbound, key, now=now)
    except IntegrityError:
        known = keyed_message(key)  # the same message, committed meanwhile by a retry
        if known is None:
            raise
        return Result(inbound.wamid, Outcome.DUPLICATE, known.ticket_id)


def _file(inbound: Inbound, key: MessageKey, *, now: datetime) -> Result:
    at = min(inbound.sent_at or now, now)
    contact = _contact(inbound)
    sender, first = _sender(inbound, contact, at)
    # Filed before, or by a concurrent delivery while we waited for the lock? Not when the
    # sender's row is new: whoever filed this wamid wrote that row first.
    known = None if first else keyed_message(key)
    if known is not None:
        return Result(inbound.wamid, Outcome.DUPLICATE, known.ticket_id)
    press = read_press(inbound.reply_id) if inbound.kind == "interactive" else None
    if press is not None:
        surveyed = surveys.answer(press, inbound, key, sender, at=at, now=now)
        return Result(inbound.wamid, Outcome.ANSWERED if surveyed else Outcome.IGNORED, surveyed)
    old = None if first else _latest_ticket(sender)  # a number's first message has none
    if inbound.reaction is not None:
        return _react(inbound, key, sender, old, at)
    with override(contact.locale):
        body = render.body(inbound, key.scope)
    step = continuation(
        resolved=old.is_resolved if old else None,
        solved_at=old.solved_at if old else None,
        at=at,
        reopen_days=_reopen_days(),
    )
    if old is not None and step in (Continuation.APPEND, Continuation.REOPEN):
        reply = tickets.reply(
            ticket=old, author=contact, body=body, at=at, key=key, key_checked=True
        )
        _fetch_media(inbound, reply, now)
        return Result(inbound.wamid, Outcome.APPENDED, old.pk)
    ticket = _open(contact, inbound, body, key, at=at, now=now)
    conversation = WhatsAppTicket.objects.create(ticket=ticket, sender=sender)
    if old is not None:
        timeline.link(ticket, old, at=at, rule="whatsapp_reopen_days")
    if inbound.media is not None:
        message = keyed_message(key)
        assert message is not None
        _fetch_media(inbound, message, now)
    acknowledgement = ticket.messages.filter(author_kind=AuthorKind.SYSTEM).first()
    if acknowledgement is not None:
        outbound.carry_in(conversation, acknowledgement, now)
    return Result(inbound.wamid, Outcome.CREATED, ticket.pk)


def _latest_ticket(sender: WhatsAppSender) -> Ticket | None:
    latest = (
        WhatsAppTicket.objects.select_related("ticket__requester", "ticket__organisation")
        .filter(sender=sender)
        .order_by("-ticket_id")
        .first()
    )
    return latest.ticket if latest else None


def _open(
    contact: Contact, inbound: Inbound, body: str, key: MessageKey, *, at: datetime, now: datetime
) -> Ticket:
    media = inbound.media
    intake = supplied(
        Intake(),
        text=inbound.text or (media.caption if media else ""),
        attached=media is not None and media.kind in ("image", "video"),
        organisation_id=str(contact.organisation_id),
        own_hosts=intake_updates.own_hosts(),
    )
    return tickets.open_ticket(
        requester=contact,
        channel=CHANNEL,
        severity=default_policy().channel(CHANNEL).severity or DEFAULT_SEVERITY,
        subject=_subject(inbound, body, contact),
        body=body,
        intake=intake,
        now=now,
        received_at=at,
        key=key,
        key_checked=True,
        acknowledge_by_email=False,
    )


def _subject(inbound: Inbound, body: str, contact: Contact) -> str:
    text = one_line(inbound.text or body, limit=SUBJECT_LENGTH)
    if text:
        return text
    with override(contact.locale):
        return _("WhatsApp message from %(name)s") % {"name": contact.name}


def _reopen_days() -> int:
    days = default_policy().channel(CHANNEL).reopen_days
    return DEFAULT_REOPEN_DAYS if days is None else days


def _sender(inbound: Inbound, contact: Contact, at: datetime) -> tuple[WhatsAppSender, bool]:
    """The sender's row, locked, knowing that they are ``contact`` and their last message's
    time; and whether the row is new (this is the number's first message). Two statements:
    the locked read and its update, or the read and an insert that skips a number written
    meanwhile by a concurrent delivery (then read, locked, and updated)."""
    locked = WhatsAppSender.objects.select_for_update()
    sender = locked.filter(wa_id=inbound.sender).first()
    if sender is None:
        row = {"wa_id": inbound.sender, "contact_id": contact.pk, "last_inbound_at": at}
        created = insert_rows(WhatsAppSender, [row], returning_ids=True, skip_conflicts=True)
        if created:
            sender = WhatsAppSender.from_db(None, ["id", *row], [*created, *row.values()])
            sender.contact = contact
            return sender, True
        sender = locked.get(wa_id=inbound.sender)
    if sender.contact_id != contact.pk or sender.last_inbound_at < at:
        sender.contact_id = contact.pk
        sender.last_inbound_at = max(sender.last_inbound_at, at)
        sender.save(update_fields=["contact", "last_inbound_at"])
    sender.contact = contact  # as found now, with its organisation and user
    return sender, False


def _contact(inbound: Inbound) -> Contact:
    """Who the sender is by their number (``senders``); a WhatsApp id that is not a phone
    number (a business-scoped id) is an unidentified sender of its own."""
    try:
        return senders.contact_for_phone(inbound.sender, name=inbound.profile_name)
    except ValueError:
        pass
    return senders.contact_without_address(
        username=f"whatsapp:{inbound.sender}"[:150],
        organisation=senders.unidentified_place(),
        name=inbound.profile_name or inbound.sender,
    )


def _react(
    inbound: Inbound, key: MessageKey, sender: WhatsAppSender, latest: Ticket | None, at: datetime
) -> Result:
    """A reaction is a note on the ticket of the message reacted to (else the latest): not a
    reply, so it neither reopens a ticket nor counts as a back-and-forth."""
    assert inbound.reaction is not None
    target = render.earlier_message(inbound.reaction.message_id, key.scope)
    ticket = target.ticket if target is not None else latest
    if ticket is None:
        return Result(inbound.wamid, Outcome.IGNORED, None)
    with override(sender.contact.locale):
        text = render.reaction(sender.contact.name, inbound.reaction.emoji, target)
    Message.objects.create(
        ticket=ticket,
        kind=MessageKind.INTERNAL,
        author_kind=AuthorKind.SYSTEM,
        body=sanitize.from_text(text),
        provider_scope=key.scope,
        provider_id=key.id,
        created_at=at,
    )
    return Result(inbound.wamid, Outcome.NOTED, ticket.pk)


def _fetch_media(inbound: Inbound, message: Message, now: datetime) -> None:
    """Have the worker fetch the message's file after the commit (``media.fetch``)."""
    if inbound.media is None:
        return
    jobs.schedule(
        kind=FETCH_MEDIA,
        key=f"{FETCH_MEDIA}:{message.pk}",
        due_at=now,
        payload={"message": message.pk, "media": asdict(inbound.media)},
    )


def record_status(update: StatusUpdate, *, now: datetime) -> int:
    """Keep one status callback (once per wamid and status); 1 when it is new."""
    try:
        with transaction.atomic():
            _row, created = WhatsAppStatus.objects.get_or_create(
                wamid=update.wamid,
                status=update.status[:20],
                defaults={"at": update.at or now, "errors": "\n".join(update.errors)},
            )
    except IntegrityError:  # the same callback, recorded meanwhile by a retry
        return 0
    return int(created)
