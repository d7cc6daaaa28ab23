"""CSAT by ISO week, tier, agent and channel (READING §7): the surveys *sent* in the period
(a survey voided by a reopen before any answer is not counted), answered whenever. The tier,
agent, channel, plan and severity are the survey's, frozen when it was sent. CSAT % is 👍 out
of the answered surveys; the response rate is answered out of sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soporte.accounts.models import Tier
from soporte.feedback.domain.weeks import week_of_day
from soporte.feedback.models import Answer, Survey
from soporte.reports.counting import bounds, matching, week_column, zone
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.measures import share
from soporte.reports.domain.periods import weeks_between
from soporte.reports.domain.tables import Cell, Chart, ChartKind, Column, ColumnKind, Report, Table
from soporte.tickets.models import Channel

SECTION = gettext_noop("CSAT")

_COUNTS = ("sent", "answered", Answer.UP.value, Answer.NEUTRAL.value, Answer.DOWN.value)


def _surveys(filters: Filters) -> QuerySet[Survey]:
    start, end = bounds(filters)
    return Survey.objects.filter(
        matching(filters), voided_at__isnull=True, sent_at__gte=start, sent_at__lt=end
    )


def _tally(surveys: QuerySet[Survey], *by: Any) -> list[dict[str, Any]]:
    """Sent, answered and each answer, per distinct value of ``by``."""
    return list(
        surveys.values(*by).annotate(
            sent=Count("id"),
            answered=Count("id", filter=~Q(answer="")),
            **{a.value: Count("id", filter=Q(answer=a.value)) for a in Answer},
        )
    )


def _columns(first: Column) -> list[Column]:
    return [
        first,
        Column("sent", _("Surveys sent"), ColumnKind.COUNT),
        Column("answered", _("Answered"), ColumnKind.COUNT),
        *(Column(a.value, str(a.label), ColumnKind.COUNT) for a in Answer),
        Column("csat", _("CSAT %"), ColumnKind.PERCENT),
        Column("response_rate", _("Response rate %"), ColumnKind.PERCENT),
    ]


def _row(label: Cell, counts: Counter[str]) -> list[Cell]:
    sent, answered = counts["sent"], counts["answered"]
    return [
        label,
        *(counts[name] for name in _COUNTS),
        share(counts[Answer.UP.value], answered),
        share(answered, sent),
    ]


def _grouped(
    rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> dict[Any, Counter[str]]:
    totals: dict[Any, Counter[str]] = {}
    for row in rows:
        totals.setdefault(key(row), Counter()).update({name: row[name] for name in _COUNTS})
    return totals


_ANSWERS = [a.value for a in Answer]


def by_week(filters: Filters, now: datetime) -> Table:
    days = _tally(_surveys(filters).annotate(day=TruncDate("sent_at", tzinfo=zone())), "day")
    totals = _grouped(days, lambda row: week_of_day(row["day"]))
    rows = [
        _row(str(w), totals.get(w, Counter())) for w in weeks_between(filters.start, filters.end)
    ]
    return Table(
        key="csat_by_week",
        title=_("CSAT by week"),
        columns=_columns(week_column()),
        rows=rows,
        chart=Chart(ChartKind.LINE, x="week", series=["csat", "response_rate"]),
    )


def by_tier(filters: Filters, now: datetime) -> Table:
    totals = _grouped(_tally(_surveys(filters), "tier"), lambda row: row["tier"])
    return Table(
        key="csat_by_tier",
        title=_("CSAT by tier"),
        columns=_columns(Column("tier", _("Tier"))),
        rows=[_row(tier.value, totals.get(tier.value, Counter())) for tier in Tier],
        chart=Chart(ChartKind.STACKED_BAR, x="tier", series=_ANSWERS),
        notes=[_("The tier that resolved the ticket, when the survey was sent.")],
    )


def by_agent(filters: Filters, now: datetime) -> Table:
    tallies = _tally(_surveys(filters), "agent_id", "agent__name")
    totals = _grouped(tallies, lambda row: (row["agent__name"] or "", row["agent_id"] or 0))
    rows = [_row(name or _("(no agent)"), counts) for (name, _pk), counts in sorted(totals.items())]
    return Table(
        key="csat_by_agent",
        title=_("CSAT by agent"),
        columns=_columns(Column("agent", _("Agent"))),
        rows=rows,
        chart=Chart(ChartKind.BAR, x="agent", series=["csat"]),
        notes=[_("The agent credited with the resolution when the survey was sent.")],
    )


def by_channel(filters: Filters, now: datetime) -> Table:
    totals = _grouped(_tally(_surveys(filters), "channel"), lambda row: row["channel"])
    rows: Sequence[Sequence[Cell]] = [
        _row(str(channel.label), totals.get(channel.value, Counter())) for channel in Channel
    ]
    return Table(
        key="csat_by_channel",
        title=_("CSAT by channel"),
        columns=_columns(Column("channel", _("Channel"))),
        rows=rows,
        chart=Chart(ChartKind.STACKED_BAR, x="channel", series=_ANSWERS),
    )


REPORTS = {
    "csat_by_week": Report(SECTION, by_week),
    "csat_by_tier": Report(SECTION, by_tier),
    "csat_by_agent": Report(SECTION, by_agent),
    "csat_by_channel": Report(SECTION, by_channel),
}
