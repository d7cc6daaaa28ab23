"""Many new tickets at once, with exactly the rows ``services.open_ticket`` writes for each.

``load(specs)`` is for imports and benchmarks: for every spec it writes the ticket, the
customer's message, the timeline (created, clock started, acknowledged, page requested), the
SLA clocks with their warning and breach timers, the acknowledgement message and its outbox
email with the delivery job, and tells the CSM and the on-call hook as ``open_ticket`` does.
Every row comes from the same builders ``open_ticket`` uses (``services.new_ticket``,
``sla.new_clocks``, ``services.acknowledgement_rows``...), so the rules live in one place; only
the writing differs: ids are reserved per batch and each table gets one multi-row insert per
batch (``soporte.db.insert``; PostgreSQL: ``COPY``), one transaction per batch.

Not supported (``open_ticket`` handles them one at a time): uploads and provider ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection, models, transaction

from soporte.accounts.models import Contact
from soporte.db.insert import insert
from soporte.jobs.models import Job, OutboxMessage
from soporte.jobs.outbox import delivery_job
from soporte.notify import services as notify
from soporte.policy import Policy, UnknownCode, default_policy
from soporte.sla import services as sla
from soporte.sla.models import Clock
from soporte.tickets import services
from soporte.tickets.domain import routing
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Message, Ticket, TimelineEvent

DEFAULT_BATCH = 5000


@dataclass(frozen=True, slots=True)
class TicketSpec:
    """The arguments of one ``services.open_ticket`` call (without uploads or provider id)."""

    requester: Contact
    channel: str
    severity: str
    subject: str
    body: str
    received_at: datetime
    intake: Intake = field(default_factory=Intake)
    body_is_html: bool = False


def load(
    specs: Iterable[TicketSpec],
    *,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Open a ticket for every spec, ``batch`` tickets per transaction; return their numbers.

    ``progress`` is called after each batch with the number of tickets loaded so far.
    """
    if batch < 1:
        raise ValueError("batch: must be at least 1")
    policy = default_policy()
    routes: dict[tuple[str, str, str], routing.Route] = {}
    numbers: list[int] = []
    for chunk in _chunks(specs, batch):
        with transaction.atomic():
            numbers += _load_batch(chunk, policy, routes)
        if progress is not None:
            progress(len(numbers))
    return numbers


# ----------------------------------------------------------------------- one batch


@dataclass
class _Rows:
    tickets: list[Ticket] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    clocks: list[Clock] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    outbox: list[OutboxMessage] = field(default_factory=list)


def _load_batch(
    specs: Sequence[TicketSpec], policy: Policy, routes: dict[tuple[str, str, str], routing.Route]
) -> list[int]:
    rows = _Rows()
    ids = _Ids()
    numbers = ids.take(Ticket, len(specs))
    clocks_of: list[list[Clock]] = []
    routed = [_route(policy, spec, routes) for spec in specs]
    for spec, number, route in zip(specs, numbers, routed, strict=True):
        ticket = services.new_ticket(
            requester=spec.requester,
            channel=spec.channel,
            subject=spec.subject,
            intake=spec.intake,
            route=route,
            policy=policy,
            received_at=spec.received_at,
        )
        ticket.pk = number
        clocks = sla.new_clocks(ticket=ticket, policy=policy)
        ticket.next_due_at = sla.next_due(clocks)
        rows.tickets.append(ticket)
        rows.clocks += clocks
        clocks_of.append(clocks)
    for clock, pk in zip(rows.clocks, ids.take(Clock, len(rows.clocks)), strict=True):
        clock.pk = pk
    for spec, ticket, clocks, route in zip(specs, rows.tickets, clocks_of, routed, strict=True):
        made = services.new_ticket_rows(
            ticket,
            clocks,
            body=spec.body,
            body_is_html=spec.body_is_html,
            provider_id=None,
            intake=spec.intake,
            route=route,
            policy=policy,
        )
        rows.messages += made.messages
        rows.events += made.events
        rows.jobs += made.timers
        rows.outbox += made.outbox
    unnumbered: list[tuple[type[models.Model], list[Any]]] = [
        (Message, rows.messages),
        (TimelineEvent, rows.events),
        (OutboxMessage, rows.outbox),
    ]
    for model, objs in unnumbered:
        for obj, pk in zip(objs, ids.take(model, len(objs)), strict=True):
            obj.pk = pk
    for message in rows.outbox:
        rows.jobs.append(delivery_job(message))
    for job, pk in zip(rows.jobs, ids.take(Job, len(rows.jobs)), strict=True):
        job.pk = pk
    tables: list[tuple[type[models.Model], list[Any]]] = [
        (Ticket, rows.tickets),
        (Message, rows.messages),
        (TimelineEvent, rows.events),
        (Clock, rows.clocks),
        (OutboxMessage, rows.outbox),
        (Job, rows.jobs),
    ]
    for model, objs in tables:
        insert(model, objs, copy=True)
    for ticket, route in zip(rows.tickets, routed, strict=True):
        notify.tell_csm(ticket=ticket, now=ticket.opened_at)
        if route.pages:
            services.send_page_request(ticket, "p0_opened", ticket.opened_at)
    return numbers


def _route(
    policy: Policy, spec: TicketSpec, routes: dict[tuple[str, str, str], routing.Route]
) -> routing.Route:
    """``routing.route_new_ticket`` for the spec (memoised: it depends on three codes only)."""
    plan = spec.requester.organisation.plan
    key = (plan, spec.channel, spec.severity)
    route = routes.get(key)
    if route is None:
        try:
            route = routing.route_new_ticket(
                policy, plan=plan, channel=spec.channel, severity=spec.severity
            )
        except UnknownCode as exc:
            raise services.TicketError(str(exc)) from None
        routes[key] = route
    return route


def _chunks(specs: Iterable[TicketSpec], size: int) -> Iterator[list[TicketSpec]]:
    it = iter(specs)
    while chunk := list(islice(it, size)):
        yield chunk


# ----------------------------------------------------------------------- ids and writes


class _Ids:
    """Primary keys reserved for rows about to be inserted.

    PostgreSQL: drawn from the table's sequence (safe beside concurrent writers). SQLite: the
    batch's IMMEDIATE transaction holds the write lock, so the next ids after the largest ever
    used (AUTOINCREMENT's ``sqlite_sequence``) are ours.
    """

    def take(self, model: type[models.Model], n: int) -> list[int]:
        if n == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, n],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f'SELECT max(coalesce((SELECT max(id) FROM "{table}"), 0), '
                "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            first = int(cursor.fetchone()[0]) + 1
        return list(range(first, first + n))
