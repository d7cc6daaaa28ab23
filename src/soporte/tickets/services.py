"""Everything that changes a ticket. Each function owns its transaction: the change, its
timeline events, its clocks and their timers, and the outbound messages commit together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from soporte.accounts.models import Agent, Contact
from soporte.db.insert import insert_rows
from soporte.db.prepared import Prepared
from soporte.jobs.models import Job, OutboxMessage
from soporte.notify import services as notify
from soporte.notify.models import Notification
from soporte.policy import UnknownCode, default_policy
from soporte.sla import services as sla
from soporte.sla.models import Clock
from soporte.tickets import attachments, opening, timeline
from soporte.tickets.domain import exchanges, routing
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import (
    AuthorKind,
    EventKind,
    Message,
    MessageKind,
    Status,
    Ticket,
    TimelineEvent,
)
from soporte.tickets.signals import page_requested, ticket_resolved

_BY_PROVIDER_ID = Prepared(
    lambda provider_id: Ticket.objects.filter(messages__provider_id=provider_id)[:1], "sample"
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
    provider_id: str | None = None,
    body_is_html: bool = False,
) -> Ticket:
    """A new ticket from a customer, with its clocks, acknowledgement and (for a P0) a page,
    written at ``now``; its clocks start at ``received_at`` (default: ``now``).

    Idempotent on ``provider_id``: a channel's retry returns the ticket already made.
    """
    if provider_id:
        known = _BY_PROVIDER_ID.first(provider_id)
        if known is not None:
            return known
    for upload in uploads:
        attachments.check(upload)
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
        provider_id=provider_id,
    )
    try:
        batch = opening.Opening(default_policy(), now=now).batch([spec], pages=[True])
    except UnknownCode as exc:
        raise TicketError(str(exc)) from None
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
        if batch.pages[0]:
            send_page_request(ticket, opening.PAGE_REASON, received_at)
    clocks = [
        opening.instance(Clock, row, pk) for pk, row in zip(clock_ids, clock_rows, strict=True)
    ]
    for clock in clocks:
        clock.ticket = ticket
    _remember(ticket, clocks=clocks, attachments=stored)
    return ticket


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
    provider_id: str | None = None,
    body_is_html: bool = False,
) -> Message:
    """A public reply (agent or customer) or an internal note (agent).

    The first public reply by a human agent fulfils the clocks; a customer's reply reopens a
    solved ticket and, after T1's second unanswered-by-solution exchange, moves it to T2.
    """
    if provider_id:
        known = Message.objects.filter(provider_id=provider_id).first()
        if known is not None:
            return known
    if isinstance(author, Contact) and not public:
        raise TicketError("customers cannot write internal notes")
    for upload in uploads:
        attachments.check(upload)
    policy = default_policy()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        row = opening.message(ticket.pk, author, body, body_is_html, at, provider_id, public)
        message = _saved(opening.instance(Message, row))
        message.ticket = ticket
        for upload in uploads:
            attachments.store(ticket=ticket, message=message, upload=upload)
        kind = EventKind.REPLIED if public else EventKind.NOTED
        timeline.record(ticket, kind, at=at, actor=author, message=message.pk)
        if isinstance(author, Agent) and public:
            if ticket.first_replied_at is None:
                ticket.first_replied_at = at
                ticket.save(update_fields=["first_replied_at"])
                sla.fulfil_clocks(ticket=ticket, at=at, actor=author, policy=policy)
            if not ticket.is_resolved:
                _set_status(ticket, Status.PENDING, actor=author, at=at)
        elif isinstance(author, Contact):
            if ticket.status != Status.OPEN:
                _set_status(ticket, Status.OPEN, actor=author, at=at)
            _maybe_leave_t1(ticket, at)
    return message


def change_severity(
    *, ticket: Ticket, severity: str, actor: Agent, reason: str = "", at: datetime
) -> Ticket:
    """Change the severity; the clocks take the new target from the original start."""
    with transaction.atomic():
        ticket, changed = _change_clock_input(ticket, "severity", severity, actor, reason, at)
        if changed:
            notify.tell_csm(ticket=ticket, now=at)
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
    if status not in Status.values:
        raise TicketError(f"unknown status {status!r} (valid: {', '.join(Status.values)})")
    if isinstance(actor, Contact) and status not in (Status.SOLVED, Status.OPEN):
        raise TicketError("customers can mark a ticket solved or reopen it")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        _set_status(ticket, Status(status), actor=actor, at=at)
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


def _maybe_leave_t1(ticket: Ticket, at: datetime) -> None:
    policy = default_policy()
    if ticket.tier != policy.escalation.first_tier:
        return
    spoken = [
        exchanges.PublicMessage(_speaker(author_kind, tier))
        for author_kind, tier in ticket.messages.filter(kind=MessageKind.PUBLIC).values_list(
            "author_kind", "author_tier"
        )
    ]
    limit = policy.escalation.t1_exchange_limit
    if exchanges.escalates_to_t2(spoken, limit=limit, solved=ticket.is_resolved):
        _escalate(
            ticket,
            actor=None,
            at=at,
            code_bug=False,
            reason=f"{limit} back-and-forths at T1 without a solution",
        )


def _speaker(author_kind: str, tier: str) -> exchanges.Speaker:
    if author_kind == AuthorKind.CUSTOMER:
        return exchanges.Speaker.CUSTOMER
    if author_kind == AuthorKind.AGENT and tier == "T1":
        return exchanges.Speaker.T1
    return exchanges.Speaker.OTHER_AGENT


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
    if status in (Status.SOLVED, Status.CLOSED) and old not in (Status.SOLVED, Status.CLOSED):
        ticket_resolved.send(sender=Ticket, ticket=ticket, at=at)


def _saved(message: Message) -> Message:
    message.save(force_insert=True)
    return message


def _request_page(ticket: Ticket, reason: str, at: datetime) -> None:
    page_event(ticket, reason, at).save(force_insert=True)
    send_page_request(ticket, reason, at)


def page_event(ticket: Ticket, reason: str, at: datetime) -> TimelineEvent:
    """The unsaved ``page requested`` event."""
    return timeline.event(
        ticket, EventKind.PAGE_REQUESTED, at=at, **opening.page_data(reason, ticket.severity)
    )


def send_page_request(ticket: Ticket, reason: str, at: datetime) -> None:
    """Tell the on-call hook (``signals.page_requested``), once the page event is written."""
    page_requested.send(sender=Ticket, ticket=ticket, reason=reason, at=at)


def _with_screenshot(intake: Intake, uploaded: bool) -> Intake:
    return replace(intake, has_screenshot=True) if uploaded else intake
