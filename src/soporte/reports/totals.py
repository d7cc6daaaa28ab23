"""Reading the daily aggregates: the counters of the days a report's filters select, added up by
the database per group (plan, severity, day…), so a report reads a handful of rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum

from soporte.reports.counting import matching
from soporte.reports.domain.filters import Filters
from soporte.reports.models import DailyFact


def selected(filters: Filters) -> QuerySet[DailyFact]:
    """The aggregates of the filters' days, plan, severity, tier, channel and organisation."""
    days = DailyFact.objects.filter(day__gte=filters.start, day__lte=filters.end)
    return days.filter(matching(filters)).order_by()


def totals(filters: Filters, by: Sequence[str], counters: Sequence[str]) -> list[dict[str, Any]]:
    """One dict per group of ``by`` (all of it when empty): the group's values and each of
    ``counters`` added up (0 where nothing was counted)."""
    sums = {f"sum_{name}": Sum(name) for name in counters}
    rows = selected(filters)
    found = [rows.aggregate(**sums)] if not by else list(rows.values(*by).annotate(**sums))
    return [
        {**{k: row[k] for k in by}, **{n: row[f"sum_{n}"] or 0 for n in counters}} for row in found
    ]


def day_of(value: date | str) -> date:
    """A grouped ``day`` as the database answers it (SQLite: ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
