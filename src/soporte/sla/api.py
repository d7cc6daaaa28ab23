"""A ticket's SLA clocks over HTTP: each clock's state and the sentences that explain it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from soporte.api import RowId, caller, errors
from soporte.sla.selectors import clock_views, explanation
from soporte.tickets.api import ClockOut, clock_out, visible_ticket

router = Router(tags=["sla"])


class ClockState(ClockOut):
    explanation: list[str] = Field(
        description="Start, target, closures skipped, due time and the state now, in words."
    )


class SlaOut(Schema):
    ticket_id: int
    at: datetime = Field(description="The instant the state was computed for.")
    lang: Literal["es", "en"]
    plan: str
    severity: str
    clocks: list[ClockState] = Field(description="Earliest due first.")


class SlaQuery(Schema):
    lang: Literal["es", "en"] = Field("es", description="Language of the explanation.")


@router.get(
    "/{ticket_id}/sla",
    response={200: SlaOut, **errors(404)},
    summary="SLA clock state with explanation",
)
def ticket_sla(request: HttpRequest, ticket_id: RowId, query: Query[SlaQuery]) -> SlaOut:
    ticket = visible_ticket(caller(request), ticket_id)
    now = timezone.now()
    sentences = explanation(ticket, now, lang=query.lang)
    clocks = [
        ClockState(**clock_out(view).model_dump(), explanation=sentences.get(view.kind, []))
        for view in clock_views(ticket.clocks.all(), now)
    ]
    return SlaOut(
        ticket_id=ticket.pk,
        at=now,
        lang=query.lang,
        plan=ticket.plan,
        severity=ticket.severity,
        clocks=clocks,
    )
