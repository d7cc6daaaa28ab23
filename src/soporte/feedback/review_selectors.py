"""Reads for the weekly support review: its weeks, and each week's items with what the review
shows of them (ticket, face, comment, tier history, both clocks' outcomes, business time to
resolution, the credited agent, the disposition). Leads, the founder, the CTO and admins only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from soporte.accounts.models import Agent
from soporte.feedback.domain import review
from soporte.feedback.domain.weeks import Week, span, week_of
from soporte.feedback.models import ReviewDisposition, ReviewWeek, Survey
from soporte.policy import default_policy
from soporte.tickets.models import EventKind, TimelineEvent


def may_review(agent: Agent | None) -> bool:
    """Leads, the founder, the CTO and admins: who sees every queue."""
    return agent is not None and agent.sees_every_queue


@dataclass(frozen=True, slots=True)
class WeekSummary:
    week: Week
    items: int
    disposed: int
    row: ReviewWeek | None

    @property
    def closed(self) -> bool:
        return self.row is not None and self.row.is_closed


@dataclass(frozen=True, slots=True)
class Item:
    survey: Survey
    tiers: list[str]
    """The ticket's tiers up to this resolution, in order (``T1``, ``T2``…)."""
    to_resolution: timedelta
    """Business time from the ticket's arrival to this resolution."""
    disposition: ReviewDisposition | None


def zone() -> str:
    return default_policy().csat.review_zone


def item_surveys(start: datetime, end: datetime) -> list[Survey]:
    """Surveys first answered in ``[start, end)`` below the best answer: the review's items."""
    below = default_policy().csat.answers[1:]
    return list(
        Survey.objects.filter(
            answered_at__gte=start, answered_at__lt=end, answer__in=below, voided_at__isnull=True
        )
        .select_related("ticket", "agent", "disposition__decided_by")
        .order_by("answered_at", "pk")
    )


def weeks(agent: Agent, *, now: datetime, count: int = 12) -> list[WeekSummary]:
    """The last ``count`` weeks up to ``now``'s, newest first, with any older week that still
    has items without a disposition."""
    if not may_review(agent):
        return []
    tz = zone()
    newest = week_of(now, tz)
    oldest = newest.shifted(1 - count)
    start = span(oldest, tz)[0]
    counts: dict[Week, list[int]] = defaultdict(lambda: [0, 0])
    below = default_policy().csat.answers[1:]
    rows = Survey.objects.filter(
        Q(answered_at__gte=start) | Q(disposition__isnull=True),
        answer__in=below,
        voided_at__isnull=True,
        answered_at__isnull=False,
    ).values_list("answered_at", "disposition")
    for answered_at, disposition in rows:
        assert answered_at is not None  # filtered above
        tally = counts[week_of(answered_at, tz)]
        tally[0] += 1
        tally[1] += disposition is not None
    marks = {r.week: r for r in ReviewWeek.objects.all()}
    listed = set(counts) | {newest.shifted(-i) for i in range(count)}
    return [
        WeekSummary(week, counts[week][0], counts[week][1], marks.get(str(week)))
        for week in sorted(listed, reverse=True)
        if week <= newest
    ]


def week_row(week: Week) -> ReviewWeek | None:
    return ReviewWeek.objects.filter(week=str(week)).select_related("closed_by").first()


def items(agent: Agent, week: Week) -> list[Item]:
    """The week's items, oldest answer first (none for someone who may not review)."""
    if not may_review(agent):
        return []
    return week_items(week)


def week_items(week: Week) -> list[Item]:
    """The week's items, for the desk itself (the digest); pages use :func:`items`."""
    policy = default_policy()
    surveys = item_surveys(*span(week, policy.csat.review_zone))
    history = _tier_history(surveys)
    return [
        Item(
            survey=s,
            tiers=history.get(s.pk, [s.tier]),
            to_resolution=policy.calendar.elapsed(s.ticket.opened_at, s.resolved_at),
            disposition=getattr(s, "disposition", None),
        )
        for s in surveys
    ]


def _tier_history(surveys: list[Survey]) -> dict[int, list[str]]:
    """Each survey's tiers: the ticket's first, then every escalation up to its resolution."""
    events: dict[int, list[TimelineEvent]] = defaultdict(list)
    for event in TimelineEvent.objects.filter(
        ticket__in={s.ticket_id for s in surveys},
        kind__in=(EventKind.CREATED, EventKind.ESCALATED),
    ).order_by("at", "pk"):
        events[event.ticket_id].append(event)
    out = {}
    for survey in surveys:
        tiers: list[str] = []
        for event in events[survey.ticket_id]:
            if event.at > survey.resolved_at:
                break
            tier = event.data.get("tier" if event.kind == EventKind.CREATED else "new")
            if tier and (not tiers or tiers[-1] != tier):
                tiers.append(str(tier))
        out[survey.pk] = tiers or [survey.tier]
    return out


def undisposed(week: Week) -> list[int]:
    """The week's items (survey ids) with no disposition yet."""
    surveys = item_surveys(*span(week, zone()))
    return review.undisposed(
        (s.pk for s in surveys), {s.pk for s in surveys if hasattr(s, "disposition")}
    )
