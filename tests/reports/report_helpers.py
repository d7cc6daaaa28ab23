"""A small desk history for the report tests, and the naive recount the reports must equal.

The recount reads the tickets, their clocks and their timelines one by one, with the SLA
domain's single-clock ``state`` and the calendar's single-instant ``elapsed``: none of the
facts, the aggregates or the batch clock.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from soporte.escalation.models import PageNotification
from soporte.policy import default_policy
from soporte.sla import domain
from soporte.sla.models import Clock
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, Ticket

MX = ZoneInfo("America/Mexico_City")
NOW = datetime(2026, 3, 17, 12, 0, tzinfo=MX)
"""A Tuesday noon: two full ISO weeks of history behind it (W10, W11) and this one's start."""
FIRST_DAY = date(2026, 3, 2)
LIMITS = (900, 1800, 3600, 7200, 14400, 32400, 64800, 162000)  # bucket edges, seconds


def open_at(world: Any, at: datetime, *, plan: str, severity: str, channel: str) -> Ticket:
    return services.open_ticket(
        requester=world.contacts[plan],
        channel=channel,
        severity=severity,
        subject=f"{severity} on {channel}",
        body="The dashboard shows no sales.",
        intake=Intake(),
        now=at,
    )


def history(world: Any, *, seed: int = 13, count: int = 24) -> list[Ticket]:
    """``count`` tickets over two weeks before ``NOW``, at any hour, on every plan, severity and
    channel: answered in time, late or not at all, some escalated, solved or reopened."""
    rng = random.Random(seed)
    t1, t2, t3 = (world.agents[n] for n in ("t1", "t2", "t3"))
    made = []
    for n in range(count):
        opened = datetime.combine(FIRST_DAY, datetime.min.time(), MX) + timedelta(
            minutes=rng.randrange(14 * 24 * 60)
        )
        ticket = open_at(
            world,
            opened,
            plan=rng.choice(["starter", "pro", "enterprise"]),
            severity=rng.choice(["P0", "P1", "P2", "P3"]),
            channel=rng.choice(["email", "portal", "chat", "whatsapp"]),
        )
        at = opened
        if rng.random() < 0.8:
            at += timedelta(minutes=rng.choice([5, 20, 50, 200, 900, 3000]))
            services.reply(ticket=ticket, author=t1, body="Looking into it.", at=at)
        if rng.random() < 0.35:
            at += timedelta(minutes=30)
            services.escalate(ticket=ticket, actor=t1, reason="needs logs", at=at)
            if rng.random() < 0.5:
                at += timedelta(minutes=30)
                services.escalate(ticket=ticket, actor=t2, reason="a bug", code_bug=True, at=at)
        if rng.random() < 0.6:
            at += timedelta(minutes=rng.choice([60, 600, 6000]))
            solver = {"T1": t1, "T2": t2}.get(Ticket.objects.get(pk=ticket.pk).tier, t3)
            services.change_status(ticket=ticket, status="solved", actor=solver, at=at)
        if n % 3 == 0:
            services.change_severity(
                ticket=ticket, severity="P1", actor=t1, reason="re-rated", at=at
            )
        made.append(ticket)
    return made


@dataclass
class Seen:
    """One ticket as the naive recount sees it at ``NOW``."""

    day: date
    plan: str
    severity: str
    channel: str
    tier: str
    organisation: Any
    first_response: str
    channel_response: str
    answered_in: int | None
    resolved_in: int | None
    breach_hour: int | None
    resolved_at_t1: bool
    t1_t2: int
    t2_t3: int
    founder_cto_paged: bool


def outcome(clock: Clock, now: datetime) -> str:
    status = domain.state(default_policy(), clock.as_domain(), now).status
    if status in (domain.ClockStatus.ON_TRACK, domain.ClockStatus.AT_RISK):
        return "running"
    return str(status.value)


def recount(now: datetime = NOW) -> list[Seen]:
    seen = []
    for ticket in Ticket.objects.order_by("pk"):
        clocks = {c.kind: c for c in Clock.objects.filter(ticket=ticket)}
        first = clocks["first_response"]
        other = clocks.get("channel_response")
        moves = [
            (e.data["old"], e.data["new"])
            for e in ticket.timeline.filter(kind=EventKind.ESCALATED).order_by("at", "pk")
        ]
        tiers = ["T1", "T2", "T3"]
        reached = max([ticket.tier] + [new for _old, new in moves], key=tiers.index)
        fr = outcome(first, now)
        answered = first.fulfilled_at is not None and first.fulfilled_at <= now
        resolved = ticket.status in ("solved", "closed")
        seen.append(
            Seen(
                day=ticket.opened_at.astimezone(MX).date(),
                plan=ticket.plan,
                severity=ticket.severity,
                channel=ticket.channel,
                tier=reached,
                organisation=ticket.organisation_id,
                first_response=fr,
                channel_response=outcome(other, now) if other else "",
                answered_in=_seconds(first.started_at, first.fulfilled_at) if answered else None,
                resolved_in=_seconds(ticket.opened_at, ticket.solved_at)
                if resolved and ticket.solved_at
                else None,
                breach_hour=first.breach_after.astimezone(MX).hour
                if fr in ("missed", "breached")
                else None,
                resolved_at_t1=resolved and not moves and ticket.tier == "T1",
                t1_t2=moves.count(("T1", "T2")),
                t2_t3=moves.count(("T2", "T3")),
                founder_cto_paged=PageNotification.objects.filter(
                    page__ticket=ticket, target="founder_cto"
                ).exists(),
            )
        )
    return seen


def _seconds(start: datetime, end: datetime | None) -> int:
    assert end is not None
    return int(default_policy().calendar.elapsed(start, end).total_seconds())


def bucket(seconds: int) -> int:
    return sum(1 for edge in LIMITS if seconds >= edge)


def upper_edge(values: list[int], share: float) -> int | None:
    """The bucket edge at or under which the nearest-rank ``share`` percentile lies."""
    if not values:
        return None
    ranked = sorted(values)
    value = ranked[max(1, math.ceil(share * len(ranked))) - 1]
    index = bucket(value)
    return LIMITS[index] if index < len(LIMITS) else None


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
