"""On-call: the pages opened in the period (``escalation.Page``), who they reached
(``PageNotification``), how fast they were acknowledged and when they rang.

- Time to acknowledge is wall-clock time (pages run 24/7): per week, from the page's opening;
  per engineer, from that engineer's first notification of the page.
- **At night** is local time in [22:00, 07:00) America/Mexico_City; **on a weekend**, a local
  Saturday or Sunday (holidays are not weekends). A page counts by when it opened; an
  engineer's, by when they were first notified of it.
- A founder/CTO escalation is a page whose founder/CTO step notified someone.
- Plan, channel and organisation are the ticket's, the severity the page's; the tier filter
  does not apply (a page goes to on-call whatever the ticket's tier)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soporte.escalation.domain.chain import Target
from soporte.escalation.models import Page
from soporte.feedback.domain.weeks import week_of_day
from soporte.reports.counting import bounds, local_day, matching, week_column, zone
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.percentiles import nearest_rank
from soporte.reports.domain.periods import weeks_between
from soporte.reports.domain.tables import Cell, Chart, ChartKind, Column, ColumnKind, Report, Table

SECTION = gettext_noop("On-call")

NIGHT_FROM = time(22)
NIGHT_UNTIL = time(7)


def at_night(at: datetime) -> bool:
    local = at.astimezone(zone()).time()
    return local >= NIGHT_FROM or local < NIGHT_UNTIL


def on_weekend(at: datetime) -> bool:
    return local_day(at).weekday() >= 5


def _pages(filters: Filters) -> QuerySet[Page]:
    """The period's pages matching the filters, in order; each report adds what it reads of
    their notifications and acknowledgers."""
    start, end = bounds(filters)
    return Page.objects.filter(
        matching(filters, prefix="ticket__", skip=("severity", "tier")),
        opened_at__gte=start,
        opened_at__lt=end,
        **({"severity": filters.severity} if filters.severity else {}),
    ).order_by("opened_at", "pk")


def _week(page: Page) -> str:
    """The ISO week the page opened in (local calendar)."""
    return str(week_of_day(local_day(page.opened_at)))


def _seconds(spans: Iterable[timedelta], percent: int) -> Cell:
    found = nearest_rank([s.total_seconds() for s in spans], percent)
    return None if found is None else round(found)


def _founder_cto(page: Page) -> bool:
    return any(
        n.target == Target.FOUNDER_CTO and n.agent_id is not None for n in page.notifications.all()
    )


def _rang() -> list[Column]:
    """How many pages, and how many of them rang at night and on weekends."""
    return [
        Column("pages", _("Pages"), ColumnKind.COUNT),
        Column("night", _("At night"), ColumnKind.COUNT),
        Column("weekend", _("On weekends"), ColumnKind.COUNT),
    ]


def pages_by_week(filters: Filters, now: datetime) -> Table:
    weeks = {str(w): [0, 0, 0, 0] for w in weeks_between(filters.start, filters.end)}
    for page in _pages(filters).prefetch_related("notifications"):
        counts = weeks[_week(page)]
        flags = (True, at_night(page.opened_at), on_weekend(page.opened_at), _founder_cto(page))
        for at, flag in enumerate(flags):
            counts[at] += flag
    return Table(
        key="oncall_pages",
        title=_("Pages by week"),
        columns=[
            week_column(),
            *_rang(),
            Column("founder_cto", _("Founder/CTO escalations"), ColumnKind.COUNT),
        ],
        rows=[[week, *counts] for week, counts in weeks.items()],
        chart=Chart(ChartKind.BAR, x="week", series=["pages", "night", "weekend", "founder_cto"]),
        notes=[_("At night: 22:00 to 07:00, Mexico City time. Weekends: Saturday and Sunday.")],
    )


def acknowledge_by_week(filters: Filters, now: datetime) -> Table:
    spans: dict[str, list[timedelta]] = {
        str(w): [] for w in weeks_between(filters.start, filters.end)
    }
    for page in _pages(filters):
        if page.acknowledged_at is not None:
            spans[_week(page)].append(page.acknowledged_at - page.opened_at)
    return Table(
        key="oncall_acknowledge",
        title=_("Time to acknowledge by week"),
        columns=[
            week_column(),
            Column("acknowledged", _("Acknowledged"), ColumnKind.COUNT),
            Column("p50", _("Median (p50)"), ColumnKind.SECONDS),
            Column("p90", _("p90"), ColumnKind.SECONDS),
        ],
        rows=[
            [week, len(found), _seconds(found, 50), _seconds(found, 90)]
            for week, found in spans.items()
        ],
        chart=Chart(ChartKind.LINE, x="week", series=["p50", "p90"]),
        notes=[_("Wall-clock time from the page's opening: pages run around the clock.")],
    )


@dataclass
class _Engineer:
    name: str
    pages: int = 0
    night: int = 0
    weekend: int = 0
    acknowledged: list[timedelta] = field(default_factory=list)


def by_engineer(filters: Filters, now: datetime) -> Table:
    people: dict[int, _Engineer] = {}
    pages = _pages(filters).select_related("acknowledged_by")
    for page in pages.prefetch_related("notifications__agent"):
        first: dict[int, datetime] = {}
        for note in page.notifications.all():
            agent = note.agent
            if agent is not None and agent.pk not in first:
                first[agent.pk] = note.created_at
                person = people.setdefault(agent.pk, _Engineer(agent.name))
                person.pages += 1
                person.night += at_night(note.created_at)
                person.weekend += on_weekend(note.created_at)
        who = page.acknowledged_by
        if who is not None and page.acknowledged_at is not None:
            person = people.setdefault(who.pk, _Engineer(who.name))
            person.acknowledged.append(page.acknowledged_at - first.get(who.pk, page.opened_at))
    ordered = sorted(people.items(), key=lambda item: (item[1].name, item[0]))
    return Table(
        key="oncall_engineers",
        title=_("Pages by engineer"),
        columns=[
            Column("engineer", _("Engineer")),
            *_rang(),
            Column("acknowledged", _("Acknowledged"), ColumnKind.COUNT),
            Column("p50", _("Median time to acknowledge"), ColumnKind.SECONDS),
        ],
        rows=[
            [p.name, p.pages, p.night, p.weekend, len(p.acknowledged), _seconds(p.acknowledged, 50)]
            for _pk, p in ordered
        ],
        chart=Chart(ChartKind.BAR, x="engineer", series=["pages", "night", "weekend"]),
        notes=[
            _(
                "Pages: the pages that notified the engineer (any step, any transport). "
                "Time to acknowledge: from their first notification of the page."
            )
        ],
    )


def _weekdays() -> Sequence[str]:
    """Monday to Sunday in the active language (Django's own catalogue)."""
    return [str(formats.date_format(date(2024, 1, day), "l")) for day in range(1, 8)]


def by_hour(filters: Filters, now: datetime) -> Table:
    """Pages opened by local weekday × hour: when on-call gets called."""
    grid: defaultdict[tuple[int, int], int] = defaultdict(int)
    for page in _pages(filters):
        local = page.opened_at.astimezone(zone())
        grid[local.weekday(), local.hour] += 1
    hours = [f"{hour:02d}" for hour in range(24)]
    return Table(
        key="oncall_hours",
        title=_("Pages by weekday and hour"),
        columns=[
            Column("weekday", _("Weekday")),
            *(Column(f"h{h}", h, ColumnKind.COUNT) for h in hours),
        ],
        rows=[
            [name, *(grid[day, hour] for hour in range(24))] for day, name in enumerate(_weekdays())
        ],
        chart=Chart(ChartKind.HEATMAP, x="weekday", series=[f"h{h}" for h in hours]),
        notes=[_("Hours of the day in Mexico City time, when the page opened.")],
    )


REPORTS = {
    "oncall_pages": Report(SECTION, pages_by_week),
    "oncall_acknowledge": Report(SECTION, acknowledge_by_week),
    "oncall_engineers": Report(SECTION, by_engineer),
    "oncall_hours": Report(SECTION, by_hour),
}
