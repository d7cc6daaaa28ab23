"""Every service-level report equals a naive recount over the tickets (``report_helpers``), on
both databases, with and without filters."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from report_helpers import NOW, Seen, bucket, history, percent, recount, upper_edge

from soporte.feedback.domain.weeks import week_of_day
from soporte.reports import facts
from soporte.reports.catalog import reports
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.tables import Table

PERIOD = Filters(date(2026, 3, 1), date(2026, 3, 17))
PLAN_LABELS = {"starter": "Starter", "pro": "Pro", "enterprise": "Enterprise"}
OUTCOMES = ("met", "missed", "breached", "running")


@pytest.fixture
def desk(world: Any) -> list[Seen]:
    history(world)
    facts.refresh(now=NOW)
    return recount()


def compute(key: str, filters: Filters = PERIOD) -> Table:
    return reports()[key].compute(filters, NOW)


def picked(seen: list[Seen], filters: Filters) -> list[Seen]:
    return [
        s
        for s in seen
        if filters.start <= s.day <= filters.end
        and all(
            not getattr(filters, k) or getattr(s, k) == getattr(filters, k)
            for k in ("plan", "severity", "tier", "channel")
        )
        and (filters.organisation is None or s.organisation == filters.organisation)
    ]


def heat_map(seen: list[Seen]) -> list[list[Any]]:
    rows = []
    for plan, label in PLAN_LABELS.items():
        row: list[Any] = [label]
        for sev in ("P0", "P1", "P2", "P3"):
            n = Counter(s.first_response for s in seen if s.plan == plan and s.severity == sev)
            row += [
                percent(n["met"], n["met"] + n["missed"] + n["breached"]),
                *(n[o] for o in OUTCOMES),
            ]
        rows.append(row)
    return rows


def check_heat_map(desk: list[Seen]) -> None:
    table = compute("sla_compliance")
    assert [list(r) for r in table.rows] == heat_map(desk)
    assert sum(table.column("P1_met")) + sum(table.column("P1_running")) > 0  # not all empty
    assert table.chart is not None
    assert list(table.chart.series) == ["P0", "P1", "P2", "P3"]


def check_weekly_trend(desk: list[Seen]) -> None:
    table = compute("sla_trend")
    assert table.column("week") == ["2026-W09", "2026-W10", "2026-W11", "2026-W12"]
    for row in table.rows:
        week = [s for s in desk if str(week_of_day(s.day)) == row[0]]
        fr = Counter(s.first_response for s in week)
        ch = Counter(s.channel_response for s in week if s.channel_response)
        assert list(row[1:]) == [
            percent(fr["met"], fr["met"] + fr["missed"] + fr["breached"]),
            *(fr[o] for o in OUTCOMES),
            percent(ch["met"], ch["met"] + ch["missed"] + ch["breached"]),
            *(ch[o] for o in OUTCOMES),
        ]
    by_channel = compute("channel_compliance")
    assert sum(sum(by_channel.column(f"ch_{o}")) for o in OUTCOMES) == sum(
        1 for s in desk if s.channel_response
    )


def check_distribution(desk: list[Seen], kind: str, by: str) -> None:
    table = compute(f"{kind}_by_{by}")
    groups = ["T1", "T2", "T3"] if by == "tier" else list(PLAN_LABELS)
    for group, row in zip(groups, table.rows, strict=True):
        values = [
            v
            for s in desk
            if getattr(s, by) == group
            and (v := (s.answered_in if kind == "first_response" else s.resolved_in)) is not None
        ]
        counts = Counter(bucket(v) for v in values)
        assert list(row[1:]) == [
            *(counts[i] for i in range(9)),
            len(values),
            upper_edge(values, 0.5),
            upper_edge(values, 0.9),
        ]
    assert sum(table.column("count")) > 0


def check_breaches(desk: list[Seen], by: str) -> None:
    table = compute(f"breaches_by_{by}")
    for row in table.rows:
        label = row[0]
        group = [s for s in desk if getattr(s, by) == label or _channel_label(s.channel) == label]
        n = Counter(s.first_response for s in group)
        assert list(row[1:]) == [
            n["missed"] + n["breached"],
            n["missed"],
            n["breached"],
            percent(n["missed"] + n["breached"], n["met"] + n["missed"] + n["breached"]),
        ]


def check_breach_hours(desk: list[Seen]) -> None:
    table = compute("breaches_by_hour")
    hours = Counter(s.breach_hour for s in desk if s.breach_hour is not None)
    assert table.column("breaches") == [hours[h] for h in range(24)]
    assert sum(hours.values()) > 0


def check_escalations(desk: list[Seen]) -> None:
    table = compute("escalations")
    for row in table.rows:
        week = [s for s in desk if str(week_of_day(s.day)) == row[0]]
        at_t1 = sum(s.resolved_at_t1 for s in week)
        assert list(row[1:]) == [
            len(week),
            sum(s.t1_t2 for s in week),
            sum(s.t2_t3 for s in week),
            at_t1,
            sum(s.founder_cto_paged for s in week),
            percent(at_t1, len(week)),
        ]
    assert sum(table.column("escalated_t1_t2")) > 0
    assert sum(table.column("escalated_t2_t3")) > 0


def test_every_report_equals_a_naive_recount(desk: list[Seen]) -> None:
    check_heat_map(desk)
    check_weekly_trend(desk)
    for kind in ("first_response", "resolution"):
        for by in ("tier", "plan"):
            check_distribution(desk, kind, by)
    for by in ("tier", "channel"):
        check_breaches(desk, by)
    check_breach_hours(desk)
    check_escalations(desk)
    assert set(reports()) >= {"sla_compliance", "sla_trend", "escalations", "breaches_by_hour"}


def test_every_filter_applies(desk: list[Seen], world: Any) -> None:
    for narrowed in [
        {"plan": "pro"},
        {"severity": "P1"},
        {"tier": "T2"},
        {"channel": "chat"},
        {"organisation": world.orgs["enterprise"].pk},
        {"start": date(2026, 3, 9), "end": date(2026, 3, 10)},
    ]:
        filters = replace(PERIOD, **narrowed)
        mine = picked(desk, filters)
        assert sum(compute("escalations", filters).column("tickets")) == len(mine), narrowed
        heat = compute("sla_compliance", filters)
        counts = [c.key for c in heat.columns if c.key[3:] in OUTCOMES]
        assert sum(sum(heat.column(k)) for k in counts) == len(mine), narrowed  # type: ignore[misc]
        times = compute("first_response_by_tier", filters)
        assert sum(times.column("count")) == sum(1 for s in mine if s.answered_in is not None)
    assert 0 < len(picked(desk, replace(PERIOD, plan="pro"))) < len(desk)


def _channel_label(code: str) -> str:
    from soporte.tickets.models import Channel

    return str(Channel(code).label)
