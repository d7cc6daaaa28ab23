"""Everything that changes a ticket. Each function owns its transaction: the change, its
timeline events, its clocks and their timers, and the outbound messages commit together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from soporte.accounts.models import Agent, AgentKind, Contact
from soporte.channels.email.domain.addresses import ticket_of
from soporte.channels.email.secrets import desk_address, reply_secret
from soporte.db.insert import insert_rows
from soporte.jobs.models import Job, OutboxMessage
from soporte.notify import services as notify
from soporte.notify.models import Notification
from soporte.policy import UnknownCode, default_policy
from soporte.sla import services as sla
from soporte.sla.models import Clock
from soporte.tickets import attachments, intake_updates, opening, replies, timeline
from soporte.tickets.domain import exchanges, routing
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import (
    Attachment,
    AuthorKind,
    Cc,
    EventKind,
    Message,
    MessageKind,
    Status,
    Ticket,
    TimelineEvent,
)
from soporte.tickets.selectors import MessageKey, keyed_message
from soporte.tickets.signals import (
    agent_replied,
    page_requested,
    severity_changed,
    ticket_reopened,
    ticket_resolved,
)


class TicketError(ValueError):
    """A change the ticket cannot take; the message says why (shown to the user)."""


def open_ticket(
    *,
    requester: Contact,
    channel: str,
    severity: str,
    subject: str,
    body: str,
    intake: Intake,
    now: datetime,
    received_at: datetime | None = None,
    uploads: Sequence[UploadedFile] = (),
    key: MessageKey | None = None,
    body_is_html: bool = False,
    acknowledge_by_email: bool = True,
    key_checked: bool = False,
) -> Ticket:
    """A new ticket from a customer, with its clocks, acknowledgement and (for a P0) a page,
    written at ``now``; its clocks start at ``received_at`` (default: ``now``). Without
    ``acknowledge_by_email`` the acknowledgement is in the conversation but not emailed.

    Idempotent on ``key``: a retry returns the ticket already made (whoever calls on behalf of
    someone checks first that they may see it: ``selectors.repeated_ticket``). With
    ``key_checked`` the caller has just found no message under ``key``: it is not read again
    (one arriving meanwhile still makes the write fail, and the ticket it belongs to returns).
    """
    known = None if key_checked else _keyed_ticket(key)
    if known is not None:
        return known
    attachments.check_message(uploads)
    received_at = received_at or now
    spec = opening.TicketSpec(
        requester=requester,
        channel=channel,
        severity=severity,
        subject=subject,
        body=body,
        received_at=received_at,
        intake=_with_screenshot(intake, bool(uploads)),
        body_is_html=body_is_html,
        key=key,
        acknowledge_by_email=acknowledge_by_email,
    )
    try:
        batch = opening.Opening(default_policy(), now=now).batch([spec], pages=[True])
    except UnknownCode as exc:
        raise TicketError(str(exc)) from None
    try:
        ticket, clocks, stored = _write_new_ticket(batch, uploads, received_at)
    except IntegrityError:
        known = _keyed_ticket(key)  # the same key, committed meanwhile by a concurrent retry
        if known is None:
            raise
        return known
    _remember(ticket, clocks=clocks, attachments=stored)
    return ticket


def _keyed_ticket(key: MessageKey | None) -> Ticket | None:
    known = keyed_message(key) if key is not None else None
    return known.ticket if known is not None else None


def _write_new_ticket(
    batch: opening.Batch, uploads: Sequence[UploadedFile], received_at: datetime
) -> tuple[Ticket, list[Clock], list[Any]]:
    with transaction.atomic():
        numbers = insert_rows(Ticket, batch.tickets, returning_ids=True)
        clock_rows = batch.clocks(numbers)
        clock_ids = insert_rows(Clock, clock_rows, returning_ids=True)
        ticket = batch.ticket(0)
        rest = batch.rest(clock_ids)
        message_ids = insert_rows(Message, rest.messages, returning_ids=bool(uploads))
        stored = [
            attachments.store(
                ticket=ticket,
                message=opening.instance(Message, rest.messages[0], message_ids[0]),
                upload=upload,
            )
            for upload in uploads
        ]
        insert_rows(TimelineEvent, rest.events)
        insert_rows(Notification, rest.notifications)
        outbox_ids = insert_rows(OutboxMessage, rest.outbox, returning_ids=True)
        insert_rows(Job, rest.timers + batch.deliveries(outbox_ids, rest.emails))
        batch.announce()
        notify.other_copy(batch.notices[0], now=batch.opening.now)  # a CSM's WhatsApp, SMS...
        if batch.pages[0]:
            send_page_request(ticket, opening.PAGE_REASON, received_at)
    clocks = [
        opening.instance(Clock, row, pk) for pk, row in zip(clock_ids, clock_rows, strict=True)
    ]
    for clock in clocks:
        clock.ticket = ticket
    return ticket, clocks, stored


def _remember(ticket: Ticket, **related: Sequence[Any]) -> None:
    """Let ``ticket.clocks.all()`` and the like answer from the rows just written, as if
    prefetched, so whoever shows the new ticket next (the API's answer) needs no query."""
    cache: dict[str, Any] = {}
    for name, objs in related.items():
        queryset = getattr(ticket, name).all()
        queryset._result_cache = list(objs)
        queryset._prefetch_done = True
        cache[name] = queryset
    ticket._prefetched_objects_cache = cache  # type: ignore[attr-defined]


def reply(
    *,
    ticket: Ticket,
    author: Agent | Contact,
    body: str,
    public: bool = True,
    uploads: Sequence[UploadedFile] = (),
    at: datetime,
    key: MessageKey | None = None,
    body_is_html: bool = False,
    key_checked: bool = False,
) -> Message:
    """A public reply (agent or customer) or an internal note (agent).

    The first public reply by a human agent fulfils the clocks (an integration's never does,
    READING.md §9); every public agent reply is emailed to the requester (``replies.send``). A
    customer's reply reopens a solved ticket and, after T1's second public reply on an unsolved
    ticket, moves it to T2 (``_maybe_leave_t1``). Idempotent on ``key``: a retry returns the
    message already written (a key that already belongs to another ticket's message is refused);
    ``key_checked``: the caller has just found no message under ``key`` (as ``open_ticket``).
    """
    known = keyed_message(key) if key is not None and not key_checked else None
    if known is not None:
        if known.ticket_id != ticket.pk:
            raise TicketError(f"the id {known.provider_id!r} belongs to another ticket's message")
        return known
    if isinstance(author, Contact) and not public:
        raise TicketError("customers cannot write internal notes")
    attachments.check_message(uploads)
    policy = default_policy()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        attachments.check_ticket(ticket, uploads)
        row = opening.message(ticket.pk, author, body, body_is_html, at, key, public)
        message = _saved(opening.instance(Message, row))
        message.ticket = ticket
        for upload in uploads:
            attachments.store(ticket=ticket, message=message, upload=upload)
        kind = EventKind.REPLIED if public else EventKind.NOTED
        to_solved = isinstance(author, Contact) and _was_solved(ticket, at)
        marks = {"to_solved": True} if to_solved else {}
        timeline.record(ticket, kind, at=at, actor=author, message=message.pk, **marks)
        if isinstance(author, Agent) and public:
            if author.is_human and ticket.first_replied_at is None:
                ticket.first_replied_at = at
                ticket.save(update_fields=["first_replied_at"])
                sla.fulfil_clocks(ticket=ticket, at=at, actor=author, policy=policy)
            if not ticket.is_resolved:
                _set_status(ticket, Status.PENDING, actor=author, at=at)
            replies.send(ticket, message, now=at)
            agent_replied.send(sender=Ticket, ticket=ticket, message=message, agent=author, at=at)
        elif isinstance(author, Contact):
            intake_updates.record_supplied(ticket, author, body, attached=bool(uploads), at=at)
            if ticket.status != Status.OPEN:
                _set_status(ticket, Status.OPEN, actor=author, at=at)
            _maybe_leave_t1(ticket, message, to_solved, at)
    return message


def attach(*, ticket: Ticket, upload: UploadedFile) -> Attachment:
    """A screenshot or recording added to the ticket itself (on no message), within the
    ticket's quota (``attachments.check_ticket``)."""
    attachments.check_message([upload])
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        attachments.check_ticket(ticket, [upload])
        return attachments.store(ticket=ticket, message=None, upload=upload)


def change_severity(
    *, ticket: Ticket, severity: str, actor: Agent, reason: str = "", at: datetime
) -> Ticket:
    """Change the severity; the clocks take the new target from the original start."""
    with transaction.atomic():
        ticket, changed = _change_clock_input(ticket, "severity", severity, actor, reason, at)
        if changed:
            notify.tell_csm(ticket=ticket, now=at)
            severity_changed.send(sender=Ticket, ticket=ticket, at=at)
        if changed and routing.pages_on_open(default_policy(), severity) and not ticket.is_resolved:
            _request_page(ticket, "p0_raised", at)
    return ticket


def change_plan(
    *, ticket: Ticket, plan: str, actor: Agent, reason: str = "", at: datetime
) -> Ticket:
    """Correct the plan snapshotted on a ticket; its clocks follow from the original start."""
    with transaction.atomic():
        return _change_clock_input(ticket, "plan", plan, actor, reason, at)[0]


def _change_clock_input(
    ticket: Ticket, field: str, value: str, actor: Agent, reason: str, at: datetime
) -> tuple[Ticket, bool]:
    """Set the severity or plan, record it and recompute the clocks (READING.md §2), in the
    caller's transaction; also say whether anything changed."""
    policy = default_policy()
    try:
        policy.severity(value) if field == "severity" else policy.plan(value)
    except UnknownCode as exc:
        raise TicketError(str(exc)) from None
    event = EventKind.SEVERITY_CHANGED if field == "severity" else EventKind.PLAN_CHANGED
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    old = getattr(ticket, field)
    if old == value:
        return ticket, False
    setattr(ticket, field, value)
    ticket.save(update_fields=[field])
    timeline.record(ticket, event, at=at, actor=actor, old=old, new=value, reason=reason)
    sla.recompute_clocks(
        ticket=ticket, policy=policy, reason=f"{field} {old} → {value}", at=at, actor=actor
    )
    return ticket, True


def change_status(*, ticket: Ticket, status: str, actor: Agent | Contact, at: datetime) -> Ticket:
    """Set the status; an agent solving the ticket tells the customer (``replies``)."""
    if status not in Status.values:
        raise TicketError(f"unknown status {status!r} (valid: {', '.join(Status.values)})")
    if isinstance(actor, Contact) and status not in (Status.SOLVED, Status.OPEN):
        raise TicketError("customers can mark a ticket solved or reopen it")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        solving = status == Status.SOLVED and ticket.status != Status.SOLVED
        _set_status(ticket, Status(status), actor=actor, at=at)
        if solving and isinstance(actor, Agent):
            replies.tell_solved(ticket, at=at)
    return ticket


def assign(*, ticket: Ticket, assignee: Agent | None, actor: Agent, at: datetime) -> Ticket:
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.assignee_id == (assignee.pk if assignee else None):
            return ticket
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee"])
        timeline.record(
            ticket,
            EventKind.ASSIGNED,
            at=at,
            actor=actor,
            assignee=assignee.pk if assignee else None,
            assignee_name=assignee.name if assignee else "",
        )
    return ticket


def escalate(
    *,
    ticket: Ticket,
    actor: Agent | None,
    reason: str,
    code_bug: bool = False,
    at: datetime,
) -> Ticket:
    """Move the ticket to the next tier. From T2, ``code_bug`` marks a code or infrastructure
    bug: at T3 it pages on-call for the severities the policy names (P0, P1)."""
    if not reason.strip():
        raise TicketError("an escalation needs a reason")
    policy = default_policy()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        _escalate(ticket, actor=actor, reason=reason, code_bug=code_bug, at=at)
        if ticket.tier == "T3" and code_bug and routing.pages_on_t3(policy, ticket.severity):
            _request_page(ticket, "t3_code_bug", at)
    return ticket


# ----------------------------------------------------------------------- internals


def _escalate(
    ticket: Ticket, *, actor: Agent | None, reason: str, code_bug: bool, at: datetime
) -> None:
    target = routing.next_tier(default_policy(), ticket.tier)
    if target is None:
        raise TicketError(f"ticket #{ticket.pk} is already at the last tier ({ticket.tier})")
    old = ticket.tier
    ticket.tier = target
    if ticket.assignee is not None and ticket.assignee.tier != target:
        ticket.assignee = None
    ticket.save(update_fields=["tier", "assignee"])
    timeline.record(
        ticket,
        EventKind.ESCALATED,
        at=at,
        actor=actor,
        old=old,
        new=target,
        reason=reason,
        code_bug=code_bug,
        automatic=actor is None,
    )


def _maybe_leave_t1(ticket: Ticket, reply: Message, to_solved: bool, at: datetime) -> None:
    """Move the ticket to T2 when the customer's ``reply`` fails T1's last back-and-forth
    (READING.md §4, §9); ``to_solved``: the ticket was solved when they wrote."""
    policy = default_policy()
    if ticket.tier != policy.escalation.first_tier:
        return
    if ticket.first_replied_at is None:
        return  # no human agent has replied yet: T1 has no back-and-forth to count (limit ≥ 1)
    reopening = set(
        ticket.timeline.filter(kind=EventKind.REPLIED, data__to_solved=True).values_list(
            "data__message", flat=True
        )
    )
    earlier = [
        exchanges.PublicMessage(_speaker(author_kind, tier, agent_kind), pk in reopening)
        for pk, author_kind, tier, agent_kind in ticket.messages.filter(
            kind=MessageKind.PUBLIC
        ).values_list("pk", "author_kind", "author_tier", "author_agent__kind")
        if pk != reply.pk
    ]
    limit = policy.escalation.t1_exchange_limit
    customer = exchanges.PublicMessage(exchanges.Speaker.CUSTOMER, to_solved)
    if exchanges.escalates_to_t2(earlier, customer, limit=limit):
        _escalate(
            ticket,
            actor=None,
            at=at,
            code_bug=False,
            reason=f"{limit} back-and-forths at T1 without a solution",
        )


def _speaker(author_kind: str, tier: str, agent_kind: str | None) -> exchanges.Speaker:
    if author_kind == AuthorKind.CUSTOMER:
        return exchanges.Speaker.CUSTOMER
    if author_kind == AuthorKind.AGENT and tier == "T1" and agent_kind == AgentKind.HUMAN:
        return exchanges.Speaker.T1
    return exchanges.Speaker.OTHER_AGENT


def _was_solved(ticket: Ticket, at: datetime) -> bool:
    """The ticket was solved (or closed) at ``at``: a message written before it was solved
    but received after is a reply to the open ticket."""
    return ticket.is_resolved and (ticket.solved_at is None or ticket.solved_at <= at)


def _set_status(ticket: Ticket, status: Status, *, actor: Agent | Contact, at: datetime) -> None:
    old = ticket.status
    if old == status:
        return
    ticket.status = status
    if status == Status.SOLVED:
        ticket.solved_at = at
    elif status != Status.CLOSED:
        ticket.solved_at = None
    ticket.save(update_fields=["status", "solved_at"])
    timeline.record(ticket, EventKind.STATUS_CHANGED, at=at, actor=actor, old=old, new=status)
    resolved = (Status.SOLVED, Status.CLOSED)
    if status in resolved and old not in resolved:
        ticket_resolved.send(sender=Ticket, ticket=ticket, actor=actor, at=at)
    elif old in resolved and status not in resolved:
        ticket_reopened.send(sender=Ticket, ticket=ticket, at=at)


def _saved(message: Message) -> Message:
    message.save(force_insert=True)
    return message


def _request_page(ticket: Ticket, reason: str, at: datetime) -> None:
    data = opening.page_data(reason, ticket.severity)
    timeline.record(ticket, EventKind.PAGE_REQUESTED, at=at, **data)
    send_page_request(ticket, reason, at)


def send_page_request(ticket: Ticket, reason: str, at: datetime) -> None:
    """Tell the on-call hook (``signals.page_requested``), once the page event is written."""
    page_requested.send(sender=Ticket, ticket=ticket, reason=reason, at=at)


def _with_screenshot(intake: Intake, uploaded: bool) -> Intake:
    return replace(intake, has_screenshot=True) if uploaded else intake


MAX_CCS = 20
"""At most this many CC addresses on a ticket."""


def add_cc(*, ticket: Ticket, address: str, actor: Agent, at: datetime) -> Cc:
    """Copy ``address`` on every public email of the ticket from now on (lower-cased; adding
    one already there changes nothing). Refused: not an address, the requester's own, the
    desk's or a ticket's reply address (a loop), past ``MAX_CCS``."""
    cleaned = address.strip().lower()
    try:
        validate_email(cleaned)
    except ValidationError:
        problem = _("“%(address)s” is not an email address.")
        raise TicketError(problem % {"address": address}) from None
    named = {"address": cleaned}
    if cleaned == ticket.requester.email.lower():
        raise TicketError(_("%(address)s is the requester: they get every email already.") % named)
    desk = desk_address()
    if cleaned == desk.lower() or ticket_of(cleaned, desk=desk, secret=reply_secret()):
        raise TicketError(_("%(address)s is the desk's own address.") % named)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        known = ticket.ccs.filter(address=cleaned).first()
        if known is not None:
            return known
        if ticket.ccs.count() >= MAX_CCS:
            raise TicketError(
                _("A ticket takes at most %(limit)s CC addresses.") % {"limit": MAX_CCS}
            )
        cc = Cc.objects.create(ticket=ticket, address=cleaned, added_by=actor, added_at=at)
        timeline.record(ticket, EventKind.CC_ADDED, at=at, actor=actor, address=cleaned)
    return cc


def remove_cc(*, ticket: Ticket, address: str, actor: Agent, at: datetime) -> bool:
    """Stop copying ``address`` on the ticket's emails; whether it was copied."""
    cleaned = address.strip().lower()
    with transaction.atomic():
        removed, _kinds = Cc.objects.filter(ticket=ticket, address=cleaned).delete()
        if removed:
            timeline.record(ticket, EventKind.CC_REMOVED, at=at, actor=actor, address=cleaned)
    return bool(removed)
