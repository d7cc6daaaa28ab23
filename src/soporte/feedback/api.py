"""Recurrences and similar-ticket suggestions over HTTP.

``GET /api/tickets/{id}/similar`` ranks the earlier tickets most likely to be the same problem;
``POST /api/tickets/{id}/recurrence`` links the ticket to an earlier one; ``GET
/api/recurrences`` lists the open ones and ``POST /api/recurrences/{id}/disposition`` disposes
of one. A ticket the caller may not see is answered like one that does not exist (404); a
customer gets nothing of this (403 on their own tickets).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field, StringConstraints

from soporte.accounts.models import Agent
from soporte.api import (
    CLEAN,
    PEOPLE,
    BodyRowId,
    Forbidden,
    Input,
    NotFound,
    RowId,
    agent_or_403,
    agents_only,
    caller,
    errors,
    field_error,
)
from soporte.feedback import recurrence_selectors, recurrences
from soporte.feedback.models import DispositionChoice, Recurrence
from soporte.tickets.api import visible_ticket
from soporte.tickets.models import Ticket

router = Router(tags=["recurrences"])
"""Mounted under ``/tickets``."""
recurrences_router = Router(tags=["recurrences"])
"""Mounted under ``/recurrences``."""

Text = Annotated[str, StringConstraints(max_length=2000), CLEAN]


class SimilarOut(Schema):
    ticket_id: int
    subject: str
    organisation: str
    status: str
    opened_at: datetime
    score: float = Field(description="0 to 1: how alike the two tickets read (higher: more).")


class SimilarQuery(Schema):
    limit: int = Field(5, ge=1, le=20, description="How many suggestions (1-20).")


class MemberOut(Schema):
    ticket_id: int
    subject: str
    opened_at: datetime
    linked_at: datetime
    linked_by: str | None


class RecurrenceOut(Schema):
    id: int
    created_at: datetime
    open: bool
    disposition: str = Field(description="kb_article, product_fix, no_action; empty while open.")
    link: str
    reason: str
    disposed_by: str | None
    disposed_at: datetime | None
    tickets: list[MemberOut]


class LinkIn(Input):
    earlier: BodyRowId = Field(description="The earlier ticket with the same problem.")


class DispositionIn(Input):
    kind: DispositionChoice
    link: Text = Field("", description="Required for kb_article and product_fix: http(s) URL.")
    reason: Text = Field("", description="Required for no_action.")


def recurrence_out(found: Recurrence) -> RecurrenceOut:
    return RecurrenceOut(
        id=found.pk,
        created_at=found.created_at,
        open=found.is_open,
        disposition=found.disposition,
        link=found.link,
        reason=found.reason,
        disposed_by=found.disposed_by.name if found.disposed_by else None,
        disposed_at=found.disposed_at,
        tickets=[
            MemberOut(
                ticket_id=m.ticket_id,
                subject=m.ticket.subject,
                opened_at=m.ticket.opened_at,
                linked_at=m.linked_at,
                linked_by=m.linked_by.name if m.linked_by else None,
            )
            for m in found.members.all()
        ],
    )


def _agent_ticket(request: HttpRequest, ticket_id: int, action: str) -> tuple[Agent, Ticket]:
    """The ticket (404 if the caller may not see it) and the calling agent (403 for a customer
    on their own ticket)."""
    user = caller(request)
    ticket = visible_ticket(user, ticket_id)
    return agent_or_403(user, action), ticket


@router.get(
    "/{ticket_id}/similar",
    response={200: list[SimilarOut], **errors(404)},
    summary="Earlier tickets most likely to be the same problem, best first",
    auth=PEOPLE,
)
def similar(request: HttpRequest, ticket_id: RowId, query: Query[SimilarQuery]) -> list[SimilarOut]:
    agent, ticket = _agent_ticket(request, ticket_id, "see similar tickets")
    found = recurrence_selectors.similar_tickets(
        agent.user, ticket, limit=query.limit, now=timezone.now()
    )
    return [
        SimilarOut(
            ticket_id=s.ticket.pk,
            subject=s.ticket.subject,
            organisation=s.ticket.organisation.name,
            status=s.ticket.status,
            opened_at=s.ticket.opened_at,
            score=s.score,
        )
        for s in found
    ]


@router.get(
    "/{ticket_id}/recurrence",
    response={200: RecurrenceOut, **errors(404)},
    summary="The recurrence the ticket is part of",
    auth=PEOPLE,
)
def read_recurrence(request: HttpRequest, ticket_id: RowId) -> RecurrenceOut:
    agent, ticket = _agent_ticket(request, ticket_id, "see recurrences")
    found = recurrence_selectors.recurrence_of(agent.user, ticket)
    if found is None:
        raise NotFound(f"ticket {ticket_id} is in no recurrence")
    return recurrence_out(found)


@router.post(
    "/{ticket_id}/recurrence",
    response={200: RecurrenceOut, **errors(404, 409)},
    summary="Link the ticket to an earlier one as the same problem",
    auth=PEOPLE,
)
def link(request: HttpRequest, ticket_id: RowId, payload: LinkIn) -> RecurrenceOut:
    agent, ticket = _agent_ticket(request, ticket_id, "link recurrences")
    earlier = _earlier(agent.user, payload.earlier)
    try:
        found = recurrences.link_recurrence(
            ticket=ticket, earlier=earlier, actor=agent, at=timezone.now()
        )
    except recurrences.RecurrenceError as exc:  # the tickets' state refuses it (the detail: why)
        raise HttpError(409, exc.message) from None
    return recurrence_out(_reread(agent, found.pk))


def _earlier(user: AbstractBaseUser, number: int) -> Ticket:
    try:
        return visible_ticket(user, number)
    except NotFound:
        raise NotFound(f"earlier ticket {number} not found") from None


def _reread(agent: Agent, pk: int) -> Recurrence:
    found = recurrence_selectors.recurrence(agent.user, pk)
    if found is None:
        raise NotFound(f"recurrence {pk} not found")
    return found


@recurrences_router.get(
    "",
    response={200: list[RecurrenceOut], **errors()},
    summary="The recurrences still waiting for a disposition, oldest first",
    auth=agents_only("see recurrences"),
)
def open_recurrences(request: HttpRequest) -> list[RecurrenceOut]:
    return [recurrence_out(r) for r in recurrence_selectors.open_recurrences(caller(request))]


@recurrences_router.post(
    "/{recurrence_id}/disposition",
    response={200: RecurrenceOut, **errors(404)},
    summary="Dispose of a recurrence: KB article or product fix (link), or no action (reason)",
    auth=agents_only("dispose of recurrences"),
)
def dispose(request: HttpRequest, recurrence_id: RowId, payload: DispositionIn) -> RecurrenceOut:
    user = caller(request)
    agent = agent_or_403(user, "dispose of recurrences")
    found = _reread(agent, recurrence_id)
    try:
        recurrences.set_recurrence_disposition(
            recurrence=found,
            kind=payload.kind,
            link=payload.link,
            reason=payload.reason,
            actor=agent,
            at=timezone.now(),
        )
    except recurrences.NotAllowed as exc:
        raise Forbidden(str(exc)) from None
    except recurrences.DispositionError as exc:
        raise field_error(exc.field, exc.message) from None
    return recurrence_out(_reread(agent, recurrence_id))
