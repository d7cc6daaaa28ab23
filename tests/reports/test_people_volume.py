"""The volume reports (read from the daily aggregates) equal a naive recount: every ticket, its
received instant put on Mexico City's calendar by hand, counted by ISO week and channel, and by
organisation."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from people_factory import MONDAY, MX, local, ticket

from soporte.reports import facts, volume
from soporte.reports.domain.filters import Filters
from soporte.tickets.models import Channel, Ticket

START, END = MONDAY, MONDAY + timedelta(days=13)
NOW = local(END + timedelta(days=30), 12)


@pytest.fixture
def received(world: Any) -> None:
    """Thirty tickets around the period, and one at each of its edges."""
    rng = random.Random(7)
    moments = [
        local(START, 0) - timedelta(microseconds=1),
        local(START, 0),
        local(END, 23, 59),
        local(END + timedelta(days=1), 0),
    ] + [
        local(MONDAY + timedelta(days=rng.randint(-3, 16)), rng.randint(0, 23), rng.randint(0, 59))
        for _ in range(30)
    ]
    for moment in moments:
        ticket(
            world,
            at=moment,
            plan=rng.choice(["starter", "pro", "enterprise"]),
            channel=rng.choice(["email", "portal", "chat", "whatsapp"]),
            severity=rng.choice(["P1", "P2", "P3"]),
        )
    facts.refresh(now=NOW)  # the job that keeps the daily aggregates current


def _counted(filters: Filters) -> list[Ticket]:
    chosen = []
    for t in Ticket.objects.select_related("organisation"):
        if not filters.start <= t.opened_at.astimezone(MX).date() <= filters.end:
            continue
        wanted = {"plan": filters.plan, "severity": filters.severity, "channel": filters.channel}
        if any(value and getattr(t, name) != value for name, value in wanted.items()):
            continue
        if filters.tier and t.tier != filters.tier:
            continue
        if filters.organisation and t.organisation_id != filters.organisation:
            continue
        chosen.append(t)
    return chosen


@pytest.mark.parametrize(
    "chosen", [{}, {"plan": "pro"}, {"severity": "P3"}, {"channel": "chat"}, {"tier": "T1"}]
)
def test_volume_by_channel_equals_a_naive_recount(
    world: Any, received: None, chosen: dict[str, str]
) -> None:
    filters = Filters(START, END, **chosen)
    counts = Counter()
    for t in _counted(filters):
        year, week, _ = t.opened_at.astimezone(MX).date().isocalendar()
        counts[f"{year}-W{week:02d}", t.channel] += 1
    expected = []
    for week in ("2026-W49", "2026-W50"):
        row = [counts[week, c.value] for c in Channel]
        expected.append([week, *row, sum(row)])
    table = volume.by_channel(filters, NOW)
    assert [list(r) for r in table.rows] == expected
    assert sum(r[-1] for r in expected) > 0


def test_volume_by_organisation_equals_a_naive_recount(world: Any, received: None) -> None:
    filters = Filters(START, END)
    counted = _counted(filters)
    per_org = Counter(t.organisation for t in counted)
    expected = [
        [org.name, org.get_plan_display(), n, round(100 * n / len(counted), 1)]
        for org, n in sorted(per_org.items(), key=lambda item: (-item[1], item[0].name))
    ]
    assert [list(r) for r in volume.by_organisation(filters, NOW).rows] == expected
    one = world.orgs["enterprise"]
    only = volume.by_organisation(Filters(START, END, organisation=one.pk), NOW)
    assert only.column("organisation") == [one.name]
    assert only.column("tickets") == [per_org[one]]
    assert only.column("share") == [100.0]


def test_a_period_with_no_tickets_has_empty_weeks_and_no_organisations(world: Any) -> None:
    filters = Filters(START, START)
    assert [list(r) for r in volume.by_channel(filters, NOW).rows] == [
        ["2026-W49", *[0] * len(Channel), 0]
    ]
    assert list(volume.by_organisation(filters, NOW).rows) == []
