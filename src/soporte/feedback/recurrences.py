"""Recurrences ("anything that happens twice"): linking tickets as the same problem, and the
disposition each recurrence needs. Each change is keyword-only, typed, in its own transaction.

A post-mortem's action item links a product fix: when a ticket with such a post-mortem is in a
recurrence without a disposition (the problem recurred, or the item was added later), that fix
becomes the recurrence's disposition (``take_postmortem_fix``)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from soporte.accounts.models import Agent
from soporte.feedback.domain.dispositions import (
    Disposition,
    DispositionError,
    DispositionKind,
    disposition,
)
from soporte.feedback.models import ActionItem, Recurrence, RecurrenceMember
from soporte.feedback.recurrence_selectors import may_dispose
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Ticket

__all__ = [
    "DispositionError",
    "NotAllowed",
    "RecurrenceError",
    "link_recurrence",
    "set_recurrence_disposition",
    "take_postmortem_fix",
]


class RecurrenceError(ValueError):
    """A link that cannot be made: ``field`` names what to fix, ``code`` says why (``itself``,
    ``later``, ``linked``, ``apart``: in two recurrences, ``race``: linked meanwhile)."""

    def __init__(self, code: str, message: str, field: str = "earlier") -> None:
        super().__init__(f"{field}: {message}")
        self.code = code
        self.field = field
        self.message = message


class NotAllowed(PermissionError):
    """The caller may not do this (the API answers 403)."""


def link_recurrence(*, ticket: Ticket, earlier: Ticket, actor: Agent, at: datetime) -> Recurrence:
    """Link ``ticket`` to ``earlier`` as the same problem: a new recurrence of both, or the one
    either is already part of, which the other joins (one recurrence per problem). Recorded on
    both timelines. Refused: a ticket with itself, an ``earlier`` opened after ``ticket``, two
    tickets already linked, or already in two different recurrences."""
    if ticket.pk == earlier.pk:
        raise RecurrenceError("itself", "a ticket cannot be linked to itself")
    if (earlier.opened_at, earlier.pk) > (ticket.opened_at, ticket.pk):
        raise RecurrenceError(
            "later",
            f"#{earlier.pk} was opened after #{ticket.pk}: link a ticket to an earlier one",
        )
    try:
        with transaction.atomic():
            found = _join(ticket, earlier, actor, at)
            for one, other in ((ticket, earlier), (earlier, ticket)):
                timeline.record(
                    one,
                    EventKind.RECURRENCE_LINKED,
                    at=at,
                    actor=actor,
                    other=other.pk,
                    recurrence=found.pk,
                )
            take_postmortem_fix(recurrence=found, actor=actor, at=at)
    except IntegrityError:  # a concurrent link took one of the tickets meanwhile
        raise RecurrenceError("race", "linked meanwhile by someone else: try again") from None
    return found


def _join(ticket: Ticket, earlier: Ticket, actor: Agent, at: datetime) -> Recurrence:
    members = {
        m.ticket_id: m.recurrence
        for m in RecurrenceMember.objects.select_related("recurrence").filter(
            ticket__in=[ticket, earlier]
        )
    }
    mine, theirs = members.get(ticket.pk), members.get(earlier.pk)
    if mine is not None and theirs is not None:
        if mine.pk == theirs.pk:
            raise RecurrenceError(
                "linked",
                f"#{ticket.pk} and #{earlier.pk} are already linked (recurrence {mine.pk})",
            )
        raise RecurrenceError(
            "apart",
            f"#{ticket.pk} is in recurrence {mine.pk} and #{earlier.pk} in recurrence {theirs.pk}",
        )
    found = mine or theirs
    if found is None:
        found = Recurrence.objects.create(created_at=at, created_by=actor)
    for one in (earlier, ticket):
        if one.pk not in members:
            RecurrenceMember.objects.create(
                recurrence=found, ticket=one, linked_by=actor, linked_at=at
            )
    return found


def set_recurrence_disposition(
    *,
    recurrence: Recurrence,
    kind: str,
    link: str = "",
    reason: str = "",
    actor: Agent,
    at: datetime,
) -> Recurrence:
    """Dispose of ``recurrence``: a KB article or a product fix with its link, or no action
    with the reason (``domain.dispositions``; ``DispositionError`` names the field at fault).
    Leads, the founder, the CTO, admins and the agents who linked it may (``NotAllowed``
    otherwise); a later disposition replaces the earlier one. Recorded on every ticket's
    timeline."""
    if not may_dispose(actor, recurrence):
        raise NotAllowed("only a lead, an admin or who linked the tickets may dispose of it")
    given = disposition(kind, link=link, reason=reason)
    with transaction.atomic():
        _dispose(recurrence, given, actor=actor, at=at)
    return recurrence


def take_postmortem_fix(*, recurrence: Recurrence, actor: Agent, at: datetime) -> bool:
    """Give ``recurrence``, if it has no disposition, the product fix of the first action item
    of its tickets' post-mortems (on behalf of ``actor``); whether it took one. Runs in the
    caller's transaction."""
    if recurrence.disposition:
        return False
    item = (
        ActionItem.objects.filter(postmortem__ticket__recurrence_member__recurrence=recurrence)
        .order_by("created_at", "id")
        .first()
    )
    if item is None:
        return False
    given = Disposition(DispositionKind.PRODUCT_FIX, item.fix_url, "")
    _dispose(recurrence, given, actor=actor, at=at, postmortem=item.postmortem_id)
    return True


def _dispose(
    recurrence: Recurrence, given: Disposition, *, actor: Agent, at: datetime, **why: int
) -> None:
    recurrence.disposition = given.kind.value
    recurrence.link = given.link
    recurrence.reason = given.reason
    recurrence.disposed_by = actor
    recurrence.disposed_at = at
    recurrence.save(update_fields=["disposition", "link", "reason", "disposed_by", "disposed_at"])
    for member in recurrence.members.select_related("ticket"):
        timeline.record(
            member.ticket,
            EventKind.RECURRENCE_DISPOSED,
            at=at,
            actor=actor,
            recurrence=recurrence.pk,
            disposition=given.kind.value,
            link=given.link,
            **why,
        )
