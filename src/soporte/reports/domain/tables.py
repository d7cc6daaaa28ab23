"""A report is a table with a chart: the page draws the chart and shows the table, the CSV
export and ``soporte report`` write the table. Everything a report computes ends here."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from soporte.reports.domain.filters import Filters

Cell = str | int | float | None


class ColumnKind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    PERCENT = "percent"  # 0-100, one decimal
    SECONDS = "seconds"  # a business-time duration in seconds


class ChartKind(StrEnum):
    BAR = "bar"
    STACKED_BAR = "stacked_bar"
    LINE = "line"
    HEATMAP = "heatmap"  # rows × columns of one value (e.g. plan × severity)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = ColumnKind.TEXT


@dataclass(frozen=True, slots=True)
class Chart:
    """How the page draws the table: ``x`` names the column along the axis (the heat map's
    rows), ``series`` the columns drawn (the heat map's columns, one value each)."""

    kind: ChartKind
    x: str
    series: Sequence[str]


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    chart: Chart | None = None
    notes: Sequence[str] = field(default_factory=tuple)

    def column(self, key: str) -> list[Cell]:
        """The values of column ``key``, top to bottom."""
        at = [c.key for c in self.columns].index(key)
        return [row[at] for row in self.rows]


@dataclass(frozen=True, slots=True)
class Report:
    """A report: its section on the page (e.g. "SLA", "CSAT", "On-call") and how to compute it
    for some filters as the desk stood at ``now``."""

    section: str
    compute: Callable[[Filters, datetime], Table]


def to_csv(table: Table) -> str:
    """The table as CSV: a header of column labels, then the rows (``None`` as empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()
