"""Reading a ticket's clocks as people see them: status, time left, and the explanation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from soporte.policy import Policy, default_policy
from soporte.sla import domain
from soporte.sla.explain import explain
from soporte.sla.models import Clock
from soporte.tickets.models import Ticket


@dataclass(frozen=True, slots=True)
class ClockView:
    clock: Clock
    status: domain.ClockStatus
    remaining: timedelta
    """Business (or wall-clock) time left; negative once breached."""
    counts_business_time: bool
    due_at_opening: datetime | None = None
    """Its budget used up while support is closed: due at this opening (``domain.state``)."""

    @property
    def kind(self) -> str:
        return self.clock.kind


def clock_views(
    clocks: Iterable[Clock], now: datetime, policy: Policy | None = None
) -> list[ClockView]:
    """Each clock at ``now``, earliest due first."""
    policy = policy or default_policy()
    views = []
    for row in sorted(clocks, key=lambda c: c.due_at):
        clock = row.as_domain()
        seen = domain.state(policy, clock, now)
        views.append(
            ClockView(
                row, seen.status, seen.remaining, clock.counts_business_time, seen.due_at_opening
            )
        )
    return views


def most_urgent(views: list[ClockView]) -> ClockView | None:
    """The running clock due first, else the first clock (for a row's colour and countdown)."""
    running = [v for v in views if v.clock.fulfilled_at is None]
    first = running or views
    return first[0] if first else None


def explanation(ticket: Ticket, now: datetime, *, lang: str) -> dict[str, list[str]]:
    """Per clock kind, the sentences explaining its due time and its state at ``now``."""
    policy = default_policy()
    context = f"{policy.plan(ticket.plan).name(lang)} {ticket.severity}"
    return {
        row.kind: explain(policy, row.as_domain(), now=now, lang=lang, context=context)
        for row in ticket.clocks.all()
    }


def with_clock(tickets: QuerySet[Ticket], which: str, now: datetime) -> QuerySet[Ticket]:
    """``tickets`` narrowed to those with a running clock at risk (``at_risk``: breached
    included) or breached (``breached``) at ``now``; any other ``which`` narrows nothing."""
    if which not in {"at_risk", "breached"}:
        return tickets
    running = Clock.objects.filter(ticket=OuterRef("pk"), fulfilled_at__isnull=True)
    if which == "breached":
        running = running.filter(breach_after__lt=now)
    else:
        running = running.filter(warn_at__lte=now)
    return tickets.filter(Exists(running))
