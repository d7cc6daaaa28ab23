"""Computing the reports' facts and keeping them current (docs/reports.md, "Facts").

A ticket's fact is computed from its row, its clocks, its escalations and its pages, with the
batch business clock (``BusinessCalendar.elapsed_many``) for a whole chunk of tickets at once.
The daily aggregates are rebuilt a whole day at a time from the facts of that day: a late
change to a ticket (a reopen, a severity change, a late reply) corrects the day it was received
on, whatever day the change happens.

:func:`refresh` is what the job runs: the tickets queued as stale (``StaleFact``) and those whose
running clock has breached since, then their days. :func:`rebuild` computes everything again.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Case, Count, Field, Model, Q, QuerySet, Sum, When

from soporte.bizclock import to_micros
from soporte.escalation.domain.chain import Target
from soporte.escalation.models import PageNotification
from soporte.policy import Basis, Policy, default_policy
from soporte.reports.domain.measures import Outcome, bucket_of
from soporte.reports.models import (
    BREACH_HOURS,
    FR_BUCKETS,
    KEYS,
    OUTCOMES,
    RES_BUCKETS,
    DailyFact,
    StaleFact,
    TicketFact,
)
from soporte.sla.domain import ClockKind
from soporte.sla.models import Clock
from soporte.tickets.models import EventKind, Status, Ticket, TimelineEvent

CHUNK = 2000
"""Tickets computed per batch (and per ``IN`` list)."""
LIMIT = 5 * CHUNK
"""Tickets one refresh computes at most (a short job)."""
PAIRS = 200
"""Queue entries taken off per statement (an OR of pairs: SQLite limits an expression's depth)."""
US = 1_000_000
MICROSECOND = timedelta(microseconds=1)
RESOLVED = (Status.SOLVED, Status.CLOSED)


def queue(numbers: Iterable[int]) -> None:
    """Mark these tickets' facts stale, in the caller's transaction (a new token each time)."""
    rows = [(n, secrets.randbits(62)) for n in set(numbers)]
    if not rows:
        return
    # Every ticket change comes here: the statement is written once, not compiled by the ORM
    # (the same upsert ``bulk_create(update_conflicts=True)`` would write, on both databases).
    with connection.cursor() as cursor:
        cursor.executemany(_QUEUE_SQL, rows)


_QUEUE_SQL = (
    f"INSERT INTO {StaleFact._meta.db_table} (ticket_id, token) VALUES (%s, %s) "
    "ON CONFLICT (ticket_id) DO UPDATE SET token = EXCLUDED.token"
)


def refresh(*, now: datetime, limit: int = LIMIT) -> int:
    """Compute again up to ``limit`` stale facts (queued, or with a clock breached since) as of
    ``now``, and rebuild their days; how many it computed (``limit`` or more: call again)."""
    with transaction.atomic():
        queued = list(StaleFact.objects.order_by().values_list("ticket_id", "token")[:limit])
        due = TicketFact.objects.filter(recheck_at__lt=now).order_by()
        numbers = {n for n, _token in queued}
        numbers.update(due.values_list("ticket_id", flat=True)[: max(0, limit - len(numbers))])
        _rebuild_days(store(numbers, now=now))
        _unqueue(queued)
    return len(numbers)


def rebuild(*, now: datetime) -> int:
    """Every ticket's fact and every daily aggregate again, as of ``now``; how many tickets."""
    done = 0
    with transaction.atomic():
        queued = list(StaleFact.objects.values_list("ticket_id", "token"))
        TicketFact.objects.all().delete()
        last = 0
        while True:
            numbers = list(
                Ticket.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:CHUNK]
            )
            if not numbers:
                break
            store(numbers, now=now)
            done += len(numbers)
            last = numbers[-1]
        DailyFact.objects.all().delete()
        aggregate(TicketFact.objects.all())
        _unqueue(queued)
    return done


def store(numbers: Iterable[int], *, now: datetime) -> set[date]:
    """Write these tickets' facts as of ``now``; the days whose aggregates they change."""
    days: set[date] = set()
    for part in _chunks(sorted(numbers)):
        old = TicketFact.objects.filter(ticket_id__in=part)
        days.update(old.values_list("day", flat=True))
        old.delete()
        fresh = compute(part, now=now)
        TicketFact.objects.bulk_create(fresh, batch_size=500)
        days.update(f.day for f in fresh)
    return days


def aggregate(facts: QuerySet[TicketFact]) -> None:
    """Insert the daily aggregates of ``facts`` (one statement: the database adds them up)."""
    counters: dict[str, Any] = {
        "tickets": Count("pk"),
        "resolved": _count(Q(resolved=True)),
        "resolved_at_t1": _count(Q(resolved_at_t1=True)),
        "escalated_t1_t2": Sum("escalated_t1_t2"),
        "escalated_t2_t3": Sum("escalated_t2_t3"),
        "founder_cto_paged": _count(Q(founder_cto_paged=True)),
    }
    for outcome in OUTCOMES:
        counters[f"fr_{outcome}"] = _count(Q(first_response=outcome))
        counters[f"ch_{outcome}"] = _count(Q(channel_response=outcome))
    for index, name in enumerate(FR_BUCKETS):
        counters[name] = _bucket("first_response_bucket", index)
    for index, name in enumerate(RES_BUCKETS):
        counters[name] = _bucket("resolution_bucket", index)
    for hour, name in enumerate(BREACH_HOURS):
        counters[name] = _count(Q(breach_hour=hour))
    grouped = facts.order_by().values(*KEYS).annotate(**{f"n_{k}": v for k, v in counters.items()})
    select, params = grouped.query.sql_with_params()
    columns = [_column(DailyFact, k) for k in (*KEYS, *counters)]
    table = connection.ops.quote_name(DailyFact._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)


def compute(
    numbers: Sequence[int], *, now: datetime, policy: Policy | None = None
) -> list[TicketFact]:
    """The facts of these tickets as of ``now`` (unsaved)."""
    policy = policy or default_policy()
    tickets = list(
        Ticket.objects.filter(pk__in=numbers).values_list(
            "pk",
            "opened_at",
            "plan",
            "severity",
            "channel",
            "organisation_id",
            "tier",
            "status",
            "solved_at",
        )
    )
    clocks = _clocks(numbers, now, policy)
    climbs = _escalations(numbers)
    paged = set(
        PageNotification.objects.filter(
            page__ticket_id__in=numbers, target=Target.FOUNDER_CTO.value
        ).values_list("page__ticket_id", flat=True)
    )
    solved = [
        (n, opened, at) for n, opened, *_rest, status, at in tickets if status in RESOLVED and at
    ]
    resolution = dict(
        zip(
            [n for n, _o, _a in solved],
            _business_seconds(policy, [o for _n, o, _a in solved], [a for _n, _o, a in solved]),
            strict=True,
        )
    )
    tiers = list(policy.tiers)
    zone = policy.calendar.zone
    facts = []
    for number, opened, plan, severity, channel, organisation, tier, status, _at in tickets:
        first = clocks.get((number, ClockKind.FIRST_RESPONSE.value))
        other = clocks.get((number, ClockKind.CHANNEL_RESPONSE.value))
        moves = climbs.get(number, [])
        reached = max([tier, *(new for _old, new in moves)], key=tiers.index)
        resolved = status in RESOLVED
        running = [c.recheck_at for c in (first, other) if c and c.recheck_at]
        answered_in = first.answered_in if first else None
        facts.append(
            TicketFact(
                ticket_id=number,
                day=opened.astimezone(zone).date(),
                plan=plan,
                severity=severity,
                channel=channel,
                tier=reached,
                organisation_id=organisation,
                first_response=first.outcome.value if first else Outcome.RUNNING.value,
                channel_response=other.outcome.value if other else "",
                first_response_seconds=answered_in,
                first_response_bucket=_bucket_of(answered_in),
                resolution_seconds=resolution.get(number),
                resolution_bucket=_bucket_of(resolution.get(number)),
                breach_hour=first.breach_hour if first else None,
                resolved=resolved,
                resolved_at_t1=resolved and not moves and tier == tiers[0],
                escalated_t1_t2=moves.count((tiers[0], tiers[1])),
                escalated_t2_t3=moves.count((tiers[1], tiers[2])),
                founder_cto_paged=number in paged,
                recheck_at=min(running, default=None),
            )
        )
    return facts


class _Seen:
    """One clock's outcome as of ``now``."""

    __slots__ = ("answered_in", "breach_hour", "outcome", "recheck_at")

    def __init__(
        self,
        outcome: Outcome,
        answered_in: int | None,
        breach_hour: int | None,
        recheck_at: datetime | None,
    ) -> None:
        self.outcome = outcome
        self.answered_in = answered_in
        self.breach_hour = breach_hour
        self.recheck_at = recheck_at


def _clocks(numbers: Sequence[int], now: datetime, policy: Policy) -> dict[tuple[int, str], _Seen]:
    """Each clock's outcome, as ``sla.domain.state`` decides it, for many clocks at once: the
    time accrued until it was answered (or until ``now``) against its budget. A running clock
    is looked at again once it breaches (or once a reply stamped after ``now`` counts)."""
    rows = list(
        Clock.objects.filter(ticket_id__in=numbers).values_list(
            "ticket_id", "kind", "basis", "budget", "started_at", "fulfilled_at", "breach_after"
        )
    )
    ends = [now if row[5] is None or row[5] > now else row[5] for row in rows]
    answered = [row[5] is not None and row[5] <= now for row in rows]
    business = _business_seconds(policy, [row[4] for row in rows], ends, unit=1)
    zone = policy.calendar.zone
    seen = {}
    for i, (number, kind, basis, budget, started, fulfilled, breach_after) in enumerate(rows):
        wall = basis == Basis.WALL.value
        used = max(0, to_micros(ends[i]) - to_micros(started)) if wall else business[i]
        over = used > budget // MICROSECOND
        if answered[i]:
            outcome = Outcome.MISSED if over else Outcome.MET
        else:
            outcome = Outcome.BREACHED if over else Outcome.RUNNING
        late = outcome in (Outcome.MISSED, Outcome.BREACHED)
        recheck = None
        if outcome is Outcome.RUNNING:
            recheck = breach_after if fulfilled is None else min(breach_after, fulfilled)
        seen[(number, kind)] = _Seen(
            outcome,
            business[i] // US if answered[i] else None,
            breach_after.astimezone(zone).hour if late else None,
            recheck,
        )
    return seen


def _escalations(numbers: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Each ticket's tier moves (old, new), from its timeline's ``escalated`` events."""
    moves: dict[int, list[tuple[str, str]]] = defaultdict(list)
    events = TimelineEvent.objects.filter(ticket_id__in=numbers, kind=EventKind.ESCALATED)
    for number, data in events.order_by("at", "pk").values_list("ticket_id", "data"):
        moves[number].append((str(data.get("old", "")), str(data.get("new", ""))))
    return moves


def _business_seconds(
    policy: Policy, starts: Sequence[datetime], ends: Sequence[datetime], *, unit: int = US
) -> list[int]:
    """Business time in each ``[start, end)``, in whole ``unit`` microseconds (seconds)."""
    if not starts:
        return []
    spans = policy.calendar.elapsed_many(
        np.array([to_micros(s) for s in starts], dtype=np.int64),
        np.array([to_micros(e) for e in ends], dtype=np.int64),
    )
    return [int(s) for s in spans // unit]


def _unqueue(queued: Sequence[tuple[int, int]]) -> None:
    """Take these tickets off the queue, unless queued again since (a new token)."""
    for start in range(0, len(queued), PAIRS):
        pairs = Q()
        for number, token in queued[start : start + PAIRS]:
            pairs |= Q(ticket_id=number, token=token)
        StaleFact.objects.filter(pairs).delete()


def _rebuild_days(days: set[date]) -> None:
    for part in _chunks(sorted(days)):
        DailyFact.objects.filter(day__in=part).delete()
        aggregate(TicketFact.objects.filter(day__in=part))


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field.column


def _count(condition: Q) -> Sum:
    return Sum(Case(When(condition, then=1), default=0))


def _bucket(field: str, index: int) -> Sum:
    return _count(Q(**{field: index}))


def _bucket_of(seconds: int | None) -> int | None:
    return None if seconds is None else bucket_of(seconds)


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
