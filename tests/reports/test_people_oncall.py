"""The on-call reports, as a table test: seven pages around a fortnight (night, weekend and
period edges on Mexico City's clock), and the counts, percentiles and grid worked out by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from people_factory import MONDAY, local, page, ticket

from feedback.review_factory import executives
from soporte.reports import oncall
from soporte.reports.domain.filters import Filters

START, END = MONDAY, MONDAY + timedelta(days=13)
NOW = local(END + timedelta(days=30), 12)
MIN = timedelta(minutes=1)


def day(n: int) -> Any:
    return MONDAY + timedelta(days=n)


@pytest.fixture
def pages(world: Any) -> None:
    boss = executives(world)
    t3, lead3, founder, cto = (
        world.agents["t3"],
        world.agents["lead3"],
        boss["founder"],
        boss["cto"],
    )
    on = {
        plan: ticket(world, at=local(day(-7), 10), plan=plan, severity="P1")
        for plan in world.contacts
    }
    primary = ((t3, timedelta(0), "primary"),)
    # A: Monday 23:30 (night); the primary twice (a second transport after the first failed)
    page(
        on["pro"],
        opened=local(day(0), 23, 30),
        acknowledged=4 * MIN,
        by=t3,
        notified=((t3, timedelta(0), "primary"), (t3, timedelta(seconds=1), "primary")),
    )
    # B: Saturday 10:00 (weekend), never acknowledged: the secondary paged at 10 min
    page(on["pro"], opened=local(day(5), 10), notified=(*primary, (lead3, 10 * MIN, "secondary")))
    # C: Tuesday 06:59 (night), a P0: the founder and the CTO at 30 min; the lead acknowledges
    page(
        on["enterprise"],
        opened=local(day(8), 6, 59),
        severity="P0",
        acknowledged=12 * MIN,
        by=lead3,
        notified=(
            *primary,
            (lead3, 10 * MIN, "secondary"),
            (founder, 30 * MIN, "founder_cto"),
            (cto, 30 * MIN, "founder_cto"),
        ),
    )
    # D: Tuesday 07:00 (day)
    page(on["pro"], opened=local(day(8), 7), acknowledged=2 * MIN, by=t3, notified=primary)
    # E: Sunday 23:30, the period's last day (night and weekend); a gap nobody held
    page(
        on["starter"],
        opened=local(day(13), 23, 30),
        acknowledged=20 * MIN,
        by=t3,
        notified=(*primary, (None, 10 * MIN, "gap")),
    )
    # outside the period: the Monday after and the Sunday before
    page(on["pro"], opened=local(day(14), 0), acknowledged=MIN, by=t3, notified=primary)
    page(on["pro"], opened=local(day(-1), 23, 59), acknowledged=MIN, by=t3, notified=primary)


def rows(table: Any) -> list[list[Any]]:
    return [list(r) for r in table.rows]


def test_pages_by_week(world: Any, pages: None) -> None:
    table = oncall.pages_by_week(Filters(START, END), NOW)
    assert rows(table) == [["2026-W49", 2, 1, 1, 0], ["2026-W50", 3, 2, 1, 1]]


def test_time_to_acknowledge_by_week_is_nearest_rank(world: Any, pages: None) -> None:
    table = oncall.acknowledge_by_week(Filters(START, END), NOW)
    assert rows(table) == [["2026-W49", 1, 240, 240], ["2026-W50", 3, 720, 1200]]


def test_pages_by_engineer(world: Any, pages: None) -> None:
    """The lead's time to acknowledge C counts from their own notification (07:09), not the
    page's opening; the founder and CTO were paged at 07:29, after the night."""
    table = oncall.by_engineer(Filters(START, END), NOW)
    assert rows(table) == [
        ["CTO", 1, 0, 0, 0, None],
        ["FOUNDER", 1, 0, 0, 0, None],
        ["LEAD3", 2, 0, 1, 1, 120],
        ["T3", 5, 3, 2, 3, 240],
    ]


def test_pages_by_weekday_and_hour(world: Any, pages: None) -> None:
    table = oncall.by_hour(Filters(START, END), NOW)
    cells = {
        (weekday, hour): count
        for weekday, row in enumerate(table.rows)
        for hour, count in enumerate(row[1:])
        if count
    }
    assert cells == {(0, 23): 1, (5, 10): 1, (1, 6): 1, (1, 7): 1, (6, 23): 1}
    assert len(table.columns) == 25


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({"severity": "P0"}, [["2026-W49", 0, 0, 0, 0], ["2026-W50", 1, 1, 0, 1]]),
        ({"plan": "starter"}, [["2026-W49", 0, 0, 0, 0], ["2026-W50", 1, 1, 1, 0]]),
        ({"channel": "chat"}, [["2026-W49", 0, 0, 0, 0], ["2026-W50", 0, 0, 0, 0]]),
        ({"tier": "T2"}, [["2026-W49", 2, 1, 1, 0], ["2026-W50", 3, 2, 1, 1]]),  # not applied
    ],
)
def test_filters(world: Any, pages: None, chosen: dict[str, str], expected: list[Any]) -> None:
    assert rows(oncall.pages_by_week(Filters(START, END, **chosen), NOW)) == expected


def test_the_organisation_filter(world: Any, pages: None) -> None:
    org = world.orgs["enterprise"]
    table = oncall.by_engineer(Filters(START, END, organisation=org.pk), NOW)
    assert table.column("engineer") == ["CTO", "FOUNDER", "LEAD3", "T3"]
    assert table.column("pages") == [1, 1, 1, 1]


@pytest.mark.parametrize(
    ("report", "queries"),
    [
        (oncall.pages_by_week, 2),  # the pages, their notifications (founder/CTO steps)
        (oncall.acknowledge_by_week, 1),  # the pages alone
        (oncall.by_engineer, 3),  # the pages and who acknowledged, notifications, their agents
        (oncall.by_hour, 1),  # the pages alone
    ],
)
def test_each_report_reads_only_what_it_shows(
    world: Any, pages: None, report: Any, queries: int, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(queries):
        report(Filters(START, END), NOW)
