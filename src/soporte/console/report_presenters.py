"""A report's :class:`~soporte.reports.domain.tables.Table` as the page shows it: the cells
written for people, the chart's data for ``reports.js`` (read from ``json_script``: the
Content-Security-Policy forbids inline scripts), and a heat map as a colour-scaled table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from soporte.reports.domain.tables import Cell, ChartKind, Column, ColumnKind, Table
from soporte.sla.explain import format_duration

TONES = {"up": "good", "neutral": "middle", "down": "bad"}
"""Series drawn in a meaning's colour rather than the palette's next one (the CSAT answers)."""

HEAT_LEVELS = 5
"""A heat map cell's class is ``heat-0`` (none) to ``heat-5`` (the most): see reports.css."""


@dataclass(frozen=True, slots=True)
class ShownCell:
    text: str
    kind: str
    heat: str = ""
    """The heat map's class for the cell, empty outside a heat map's values."""


@dataclass(frozen=True, slots=True)
class ShownReport:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[ShownCell]]
    chart: dict[str, Any] | None
    """What ``reports.js`` draws; ``None`` for a heat map (the table is the chart) or none."""
    heatmap: bool
    notes: list[str]

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.key}"


def cell_text(value: Cell, kind: ColumnKind) -> str:
    if value is None:
        return "—"
    if kind is ColumnKind.PERCENT:
        return f"{formats.number_format(value, 1)} %"
    if kind is ColumnKind.SECONDS:
        return format_duration(timedelta(seconds=float(value)))
    if kind is ColumnKind.COUNT:
        return str(formats.number_format(value, force_grouping=True))
    return str(value)


def _heat(value: Cell, kind: ColumnKind, most: float) -> str:
    if not isinstance(value, int | float):
        return "heat-none"
    scale = 100.0 if kind is ColumnKind.PERCENT else most
    if value <= 0 or not scale:
        return "heat-0"
    return f"heat-{max(1, round(HEAT_LEVELS * value / scale))}"


def _chart_data(table: Table) -> dict[str, Any] | None:
    chart = table.chart
    if chart is None or chart.kind is ChartKind.HEATMAP:
        return None
    by_key = {c.key: c for c in table.columns}
    kind = by_key[chart.series[0]].kind
    minutes = kind is ColumnKind.SECONDS

    def point(value: Cell) -> float | None:
        if not isinstance(value, int | float):
            return None
        return round(value / 60, 1) if minutes else value

    return {
        "kind": chart.kind.value,
        "labels": [str(v) for v in table.column(chart.x)],
        "series": [
            {
                "label": by_key[key].label,
                "data": [point(v) for v in table.column(key)],
                "tone": TONES.get(key, ""),
            }
            for key in chart.series
        ],
        "axis": _("Minutes") if minutes else by_key[chart.series[0]].label,
        "percent": kind is ColumnKind.PERCENT,
        "title": table.title,
    }


def shown(table: Table) -> ShownReport:
    chart = table.chart
    heat_keys = set(chart.series) if chart and chart.kind is ChartKind.HEATMAP else set()
    kinds = [c.kind for c in table.columns]
    heat_values = [
        float(value)
        for row in table.rows
        for value, c in zip(row, table.columns, strict=True)
        if c.key in heat_keys and isinstance(value, int | float)
    ]
    most = max(heat_values, default=0.0)
    rows = [
        [
            ShownCell(
                cell_text(value, kind),
                kind.value,
                _heat(value, kind, most) if column.key in heat_keys else "",
            )
            for value, kind, column in zip(row, kinds, table.columns, strict=True)
        ]
        for row in table.rows
    ]
    return ShownReport(
        key=table.key,
        title=table.title,
        columns=list(table.columns),
        rows=rows,
        chart=_chart_data(table),
        heatmap=bool(heat_keys),
        notes=list(table.notes),
    )
