"""The CSAT reports equal a naive recount: a plain loop over every survey, its sent instant put
on Mexico City's calendar by hand, for each filter (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation
from people_factory import MONDAY, MX, local, survey, ticket

from soporte.feedback.models import Survey
from soporte.reports import csat
from soporte.reports.domain.filters import Filters
from soporte.tickets.models import Channel

START, END = MONDAY, MONDAY + timedelta(days=13)
NOW = local(END + timedelta(days=30), 12)
ANSWERS = ["up", "neutral", "down", ""]


@pytest.fixture
def surveys(world: Any) -> None:
    """Sixty surveys spread over the period and the days around it."""
    rng = random.Random(13)
    on = {plan: ticket(world, at=local(MONDAY, 10), plan=plan) for plan in world.contacts}
    moments = [
        local(MONDAY + timedelta(days=rng.randint(-3, 16)), rng.randint(0, 23), minute)
        for minute in range(60)
    ]
    for moment in moments:
        survey(
            world,
            on[rng.choice(list(on))],
            sent=moment,
            answer=rng.choice(ANSWERS),
            agent=rng.choice(["t1", "t2", "lead1", None]),
            tier=rng.choice(["T1", "T2", "T3"]),
            channel=rng.choice(["email", "chat", "whatsapp"]),
            severity=rng.choice(["P1", "P2"]),
            voided=rng.random() < 0.1,
        )


def _counted(filters: Filters) -> list[Survey]:
    """The surveys a report counts, chosen one by one."""
    chosen = []
    for s in Survey.objects.select_related("agent"):
        day = s.sent_at.astimezone(MX).date()
        if s.voided_at is not None or not filters.start <= day <= filters.end:
            continue
        wanted = {
            "plan": filters.plan,
            "severity": filters.severity,
            "tier": filters.tier,
            "channel": filters.channel,
        }
        if any(value and getattr(s, name) != value for name, value in wanted.items()):
            continue
        if filters.organisation and s.organisation_id != filters.organisation:
            continue
        chosen.append(s)
    return chosen


def _row(label: object, group: list[Survey]) -> list[object]:
    answers = Counter(s.answer for s in group)
    answered = len(group) - answers[""]
    return [
        label,
        len(group),
        answered,
        answers["up"],
        answers["neutral"],
        answers["down"],
        round(answers["up"] * 100 / answered, 1) if answered else None,
        round(answered * 100 / len(group), 1) if group else None,
    ]


def _iso(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


FILTERS = [
    {},
    {"plan": "pro"},
    {"tier": "T2"},
    {"channel": "chat"},
    {"severity": "P1"},
    {"plan": "enterprise", "channel": "email"},
]


@pytest.mark.parametrize("chosen", FILTERS)
def test_csat_reports_equal_a_naive_recount(
    world: Any, surveys: None, chosen: dict[str, str]
) -> None:
    filters = Filters(START, END, **chosen)
    counted = _counted(filters)
    assert counted, "the data must leave something to count"

    weeks = ["2026-W49", "2026-W50"]
    by_week = [
        _row(w, [s for s in counted if _iso(s.sent_at.astimezone(MX).date()) == w]) for w in weeks
    ]
    by_tier = [_row(t, [s for s in counted if s.tier == t]) for t in ("T1", "T2", "T3")]
    names = sorted({(s.agent.name if s.agent else "", s.agent_id or 0) for s in counted})
    by_agent = [
        _row(name or "(no agent)", [s for s in counted if (s.agent_id or 0) == pk])
        for name, pk in names
    ]
    with translation.override("en"):
        by_channel = [
            _row(str(c.label), [s for s in counted if s.channel == c.value]) for c in Channel
        ]
        assert [list(r) for r in csat.by_week(filters, NOW).rows] == by_week
        assert [list(r) for r in csat.by_tier(filters, NOW).rows] == by_tier
        assert [list(r) for r in csat.by_agent(filters, NOW).rows] == by_agent
        assert [list(r) for r in csat.by_channel(filters, NOW).rows] == by_channel


def test_the_organisation_filter_counts_only_its_surveys(world: Any, surveys: None) -> None:
    org = world.orgs["starter"]
    filters = Filters(START, END, organisation=org.pk)
    counted = _counted(filters)
    table = csat.by_tier(filters, NOW)
    assert sum(table.column("sent")) == len(counted) > 0  # type: ignore[arg-type]
    assert all(s.organisation_id == org.pk for s in counted)


def test_the_edges_of_the_period_are_local_days(world: Any) -> None:
    """The survey sent at 23:59 on the last Sunday (already Monday in UTC) is counted in its
    week; those a microsecond before the first Monday and at the next Monday's midnight are
    not counted at all."""
    on = ticket(world, at=local(MONDAY, 10))
    for moment in [
        local(START, 0) - timedelta(microseconds=1),
        local(START, 0),
        local(END, 23, 59),
        local(END + timedelta(days=1), 0),
    ]:
        survey(world, on, sent=moment)
    table = csat.by_week(Filters(START, END), NOW)
    assert table.column("week") == ["2026-W49", "2026-W50"]
    assert table.column("sent") == [1, 1]
    assert table.column("csat") == [100.0, 100.0]


def test_a_period_without_answers_has_no_percentages(world: Any) -> None:
    on = ticket(world, at=local(MONDAY, 10))
    survey(world, on, sent=local(MONDAY, 12), answer="")
    survey(world, on, sent=local(MONDAY, 13), answer="up", voided=True)
    row = csat.by_week(Filters(START, START), NOW).rows[0]
    assert list(row) == ["2026-W49", 1, 0, 0, 0, 0, None, 0.0]
