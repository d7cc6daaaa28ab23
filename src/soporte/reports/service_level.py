"""The service-level reports (issue 13 §3): SLA and channel-target compliance, the time
distributions, breaches and escalations. Each reads the daily aggregates (``totals``) and counts
by the rules of docs/reports.md: a ticket belongs to the day it was received; a running clock
is not decided yet, so compliance leaves it out and shows it as "running"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from soporte.accounts.models import TIERS, Plan
from soporte.feedback.domain.weeks import Week, week_of_day
from soporte.policy import default_policy
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.measures import EDGES, HOURS, compliance, percentile, share
from soporte.reports.domain.periods import weeks_between
from soporte.reports.domain.tables import Cell, Chart, ChartKind, Column, ColumnKind, Report, Table
from soporte.reports.models import BREACH_HOURS, FR_BUCKETS, OUTCOMES, RES_BUCKETS
from soporte.reports.totals import day_of, totals
from soporte.tickets.models import Channel, Severity

T1_AIM = 80
"""SUPPORT.md "Tiers": T1 handles 80 % of inbound."""

Row = dict[str, Any]


def _outcome_names() -> dict[str, str]:
    return {
        "met": _("met"),
        "missed": _("missed"),
        "breached": _("breached"),
        "running": _("running"),
    }


def _outcome_columns(prefix: str, label: str) -> list[Column]:
    names = _outcome_names()
    return [
        Column(f"{prefix}_compliance", label, ColumnKind.PERCENT),
        *(Column(f"{prefix}_{o}", f"{label}: {names[o]}", ColumnKind.COUNT) for o in OUTCOMES),
    ]


def _outcome_cells(row: Row, prefix: str) -> list[Cell]:
    counts = [int(row[f"{prefix}_{o}"]) for o in OUTCOMES]
    return [compliance(*counts[:3]), *counts]


def _counters(prefix: str) -> list[str]:
    return [f"{prefix}_{o}" for o in OUTCOMES]


def sla_compliance(filters: Filters, _now: datetime) -> Table:
    """First-response compliance as a heat map, plan × severity, with the counts."""
    found = {
        (r["plan"], r["severity"]): r
        for r in totals(filters, ("plan", "severity"), _counters("fr"))
    }
    empty = dict.fromkeys(_counters("fr"), 0)
    severities = [filters.severity] if filters.severity else Severity.values
    columns = [Column("plan", _("Plan"))]
    names = _outcome_names()
    for sev in severities:
        columns += [
            Column(sev, sev, ColumnKind.PERCENT),
            *(Column(f"{sev}_{o}", f"{sev} {names[o]}", ColumnKind.COUNT) for o in OUTCOMES),
        ]
    rows: list[list[Cell]] = []
    for plan in [filters.plan] if filters.plan else Plan.values:
        cells: list[Cell] = [str(Plan(plan).label)]
        for sev in severities:
            cells += _outcome_cells({**empty, **found.get((plan, sev), {})}, "fr")
        rows.append(cells)
    return Table(
        key="sla_compliance",
        title=_("SLA compliance (first response), plan × severity"),
        columns=columns,
        rows=rows,
        chart=Chart(ChartKind.HEATMAP, x="plan", series=severities),
        notes=[_("Met ÷ (met + missed + breached); running clocks are left out.")],
    )


def sla_trend(filters: Filters, _now: datetime) -> Table:
    """SLA and channel-target compliance per ISO week, side by side, counted separately."""
    weeks = _by_week(filters, [*_counters("fr"), *_counters("ch")])
    return Table(
        key="sla_trend",
        title=_("SLA and channel-target compliance by week"),
        columns=[
            Column("week", _("Week")),
            *_outcome_columns("fr", _("SLA")),
            *_outcome_columns("ch", _("Channel target")),
        ],
        rows=[[str(w), *_outcome_cells(r, "fr"), *_outcome_cells(r, "ch")] for w, r in weeks],
        chart=Chart(ChartKind.LINE, x="week", series=["fr_compliance", "ch_compliance"]),
        notes=[_("Weeks run Monday to Sunday in Mexico City; the first and last may be partial.")],
    )


def channel_compliance(filters: Filters, _now: datetime) -> Table:
    """Channel-target compliance per channel that has its own target (READING §3)."""
    found = {r["channel"]: r for r in totals(filters, ("channel",), _counters("ch"))}
    policy = default_policy()
    timed = [c for c in Channel.values if policy.channel(c).target is not None]
    empty = dict.fromkeys(_counters("ch"), 0)
    return Table(
        key="channel_compliance",
        title=_("Channel-target compliance by channel"),
        columns=[Column("channel", _("Channel")), *_outcome_columns("ch", _("Channel target"))],
        rows=[[str(Channel(c).label), *_outcome_cells(found.get(c, empty), "ch")] for c in timed],
        chart=Chart(ChartKind.BAR, x="channel", series=["ch_compliance"]),
    )


def _distribution(
    key: str, title: str, buckets: Sequence[str], by: str
) -> Callable[[Filters, datetime], Table]:
    def compute(filters: Filters, _now: datetime) -> Table:
        found = {r[by]: r for r in totals(filters, (by,), buckets)}
        rows: list[list[Cell]] = []
        for group, label in _groups(by):
            counts = [int(found.get(group, {}).get(b, 0)) for b in buckets]
            rows.append(
                [label, *counts, sum(counts), percentile(counts, 0.5), percentile(counts, 0.9)]
            )
        return Table(
            key=key,
            title=_(title),
            columns=[
                Column(by, _("Tier") if by == "tier" else _("Plan")),
                *(
                    Column(b, label, ColumnKind.COUNT)
                    for b, label in zip(buckets, _bucket_labels(), strict=True)
                ),
                Column("count", _("Tickets"), ColumnKind.COUNT),
                Column("p50", _("p50 (at most)"), ColumnKind.SECONDS),
                Column("p90", _("p90 (at most)"), ColumnKind.SECONDS),
            ],
            rows=rows,
            chart=Chart(ChartKind.STACKED_BAR, x=by, series=list(buckets)),
            notes=[
                _(
                    "Business time. A percentile is the upper edge of the bucket that holds "
                    "it; empty when it lies in the last bucket."
                )
            ],
        )

    return compute


def _breaches(by: str, title: str) -> Callable[[Filters, datetime], Table]:
    def compute(filters: Filters, _now: datetime) -> Table:
        found = {r[by]: r for r in totals(filters, (by,), _counters("fr"))}
        rows: list[list[Cell]] = []
        for group, label in _groups(by):
            r = found.get(group, {})
            met, missed, breached = (
                int(r.get(f"fr_{o}", 0)) for o in ("met", "missed", "breached")
            )
            rows.append(
                [
                    label,
                    missed + breached,
                    missed,
                    breached,
                    share(missed + breached, met + missed + breached),
                ]
            )
        return Table(
            key=f"breaches_by_{by}",
            title=_(title),
            columns=[
                Column(by, _("Tier") if by == "tier" else _("Channel")),
                Column("breaches", _("Breaches"), ColumnKind.COUNT),
                Column("missed", _("Answered late"), ColumnKind.COUNT),
                Column("breached", _("Still unanswered"), ColumnKind.COUNT),
                Column("rate", _("Of the decided clocks"), ColumnKind.PERCENT),
            ],
            rows=rows,
            chart=Chart(ChartKind.BAR, x=by, series=["breaches"]),
        )

    return compute


def breaches_by_hour(filters: Filters, _now: datetime) -> Table:
    """First-response breaches by the hour of day (Mexico City) the clock went past its target."""
    [found] = totals(filters, (), BREACH_HOURS)
    return Table(
        key="breaches_by_hour",
        title=_("SLA breaches by hour of day"),
        columns=[Column("hour", _("Hour")), Column("breaches", _("Breaches"), ColumnKind.COUNT)],
        rows=[[f"{h:02d}:00", int(found[BREACH_HOURS[h]])] for h in range(HOURS)],
        chart=Chart(ChartKind.BAR, x="hour", series=["breaches"]),
        notes=[_("The hour in Mexico City at which the clock went past its target.")],
    )


ESCALATION_COUNTERS = (
    "tickets",
    "escalated_t1_t2",
    "escalated_t2_t3",
    "resolved_at_t1",
    "founder_cto_paged",
)


def escalations(filters: Filters, _now: datetime) -> Table:
    """Escalations T1→T2→T3, founder/CTO pages and the share resolved at T1, per ISO week."""
    weeks = _by_week(filters, ESCALATION_COUNTERS)
    rows: list[list[Cell]] = [
        [
            str(w),
            *(int(r[c]) for c in ESCALATION_COUNTERS),
            share(int(r["resolved_at_t1"]), int(r["tickets"])),
        ]
        for w, r in weeks
    ]
    received = sum(int(r["tickets"]) for _w, r in weeks)
    at_t1 = sum(int(r["resolved_at_t1"]) for _w, r in weeks)
    overall = share(at_t1, received)
    return Table(
        key="escalations",
        title=_("Escalations and tickets resolved at T1"),
        columns=[
            Column("week", _("Week")),
            Column("tickets", _("Received"), ColumnKind.COUNT),
            Column("escalated_t1_t2", _("T1 → T2"), ColumnKind.COUNT),
            Column("escalated_t2_t3", _("T2 → T3"), ColumnKind.COUNT),
            Column("resolved_at_t1", _("Resolved at T1"), ColumnKind.COUNT),
            Column("founder_cto_paged", _("Founder and CTO paged"), ColumnKind.COUNT),
            Column("t1_share", _("Resolved at T1, share of received"), ColumnKind.PERCENT),
        ],
        rows=rows,
        chart=Chart(
            ChartKind.BAR, x="week", series=["escalated_t1_t2", "escalated_t2_t3", "resolved_at_t1"]
        ),
        notes=[
            _(
                "Over the period: %(share)s %% of the tickets received were resolved at "
                "T1 (the policy's aim: %(aim)s %%)."
            )
            % {"share": "–" if overall is None else overall, "aim": T1_AIM}
        ],
    )


def _by_week(filters: Filters, counters: Sequence[str]) -> list[tuple[Week, Row]]:
    """The counters per ISO week of the period, every week listed (zeros where none)."""
    weeks: dict[Week, Row] = {
        week: dict.fromkeys(counters, 0) for week in weeks_between(filters.start, filters.end)
    }
    for row in totals(filters, ("day",), counters):
        into = weeks[week_of_day(day_of(row["day"]))]
        for name in counters:
            into[name] += int(row[name])
    return list(weeks.items())


def _groups(by: str) -> list[tuple[str, str]]:
    if by == "tier":
        return [(str(t), str(t)) for t in TIERS]
    if by == "plan":
        return [(p, str(Plan(p).label)) for p in Plan.values]
    return [(c, str(Channel(c).label)) for c in Channel.values]


def _bucket_labels() -> list[str]:
    def words(seconds: int) -> str:
        span = timedelta(seconds=seconds)
        return f"{seconds // 60} min" if span < timedelta(hours=1) else f"{seconds // 3600} h"

    labels = [_("under %(edge)s") % {"edge": words(EDGES[0])}]
    labels += [
        _("%(low)s to %(high)s") % {"low": words(low), "high": words(high)}
        for low, high in pairwise(EDGES)
    ]
    return [*labels, _("%(edge)s or more") % {"edge": words(EDGES[-1])}]


SLA = gettext_noop("SLA")
TIMES = gettext_noop("Response and resolution times")
BREACHES = gettext_noop("Breaches")
ESCALATIONS = gettext_noop("Escalations")

REPORTS: dict[str, Report] = {
    "sla_compliance": Report(SLA, sla_compliance),
    "sla_trend": Report(SLA, sla_trend),
    "channel_compliance": Report(SLA, channel_compliance),
    "first_response_by_tier": Report(
        TIMES,
        _distribution(
            "first_response_by_tier",
            gettext_noop("First response time by tier"),
            FR_BUCKETS,
            "tier",
        ),
    ),
    "first_response_by_plan": Report(
        TIMES,
        _distribution(
            "first_response_by_plan",
            gettext_noop("First response time by plan"),
            FR_BUCKETS,
            "plan",
        ),
    ),
    "resolution_by_tier": Report(
        TIMES,
        _distribution(
            "resolution_by_tier", gettext_noop("Resolution time by tier"), RES_BUCKETS, "tier"
        ),
    ),
    "resolution_by_plan": Report(
        TIMES,
        _distribution(
            "resolution_by_plan", gettext_noop("Resolution time by plan"), RES_BUCKETS, "plan"
        ),
    ),
    "breaches_by_tier": Report(BREACHES, _breaches("tier", gettext_noop("SLA breaches by tier"))),
    "breaches_by_channel": Report(
        BREACHES, _breaches("channel", gettext_noop("SLA breaches by channel"))
    ),
    "breaches_by_hour": Report(BREACHES, breaches_by_hour),
    "escalations": Report(ESCALATIONS, escalations),
}
"""Every service-level report by key, in the order the page shows them."""
