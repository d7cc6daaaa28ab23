"""A report's table and its CSV; the filters refuse a period that ends before it starts."""

from __future__ import annotations

from datetime import date

import pytest

from soporte.reports.domain.filters import Filters
from soporte.reports.domain.tables import Column, ColumnKind, Table, to_csv


def test_csv_has_the_labels_then_the_rows_with_empty_for_none() -> None:
    table = Table(
        key="volume",
        title="Volume",
        columns=[Column("channel", "Channel"), Column("tickets", "Tickets", ColumnKind.COUNT)],
        rows=[("email", 12), ("chat, widget", None)],
    )
    assert to_csv(table) == 'Channel,Tickets\r\nemail,12\r\n"chat, widget",\r\n'
    assert table.column("tickets") == [12, None]


def test_a_period_cannot_end_before_it_starts() -> None:
    assert Filters(date(2026, 10, 1), date(2026, 10, 1)).start == date(2026, 10, 1)
    with pytest.raises(ValueError, match="ends before it starts"):
        Filters(date(2026, 10, 2), date(2026, 10, 1))
