"""The reports page's period presets (whole ISO weeks, whole quarters, seen on a given day), the
weeks a period covers, and nearest-rank percentiles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.feedback.domain.weeks import Week
from soporte.reports.domain.percentiles import nearest_rank
from soporte.reports.domain.periods import Preset, preset_days, weeks_between

WEDNESDAY = date(2026, 12, 2)  # 2026-W49


@pytest.mark.parametrize(
    ("preset", "today", "expected"),
    [
        (Preset.THIS_WEEK, WEDNESDAY, (date(2026, 11, 30), date(2026, 12, 6))),
        (Preset.THIS_WEEK, date(2026, 12, 6), (date(2026, 11, 30), date(2026, 12, 6))),  # Sunday
        (Preset.THIS_WEEK, date(2026, 12, 7), (date(2026, 12, 7), date(2026, 12, 13))),  # Monday
        (Preset.LAST_4_WEEKS, WEDNESDAY, (date(2026, 11, 9), date(2026, 12, 6))),
        (Preset.THIS_QUARTER, WEDNESDAY, (date(2026, 10, 1), date(2026, 12, 31))),
        (Preset.THIS_QUARTER, date(2026, 1, 1), (date(2026, 1, 1), date(2026, 3, 31))),
        (Preset.THIS_QUARTER, date(2026, 6, 30), (date(2026, 4, 1), date(2026, 6, 30))),
        (Preset.LAST_QUARTER, WEDNESDAY, (date(2026, 7, 1), date(2026, 9, 30))),
        (Preset.LAST_QUARTER, date(2027, 2, 14), (date(2026, 10, 1), date(2026, 12, 31))),
        (Preset.THIS_WEEK, date(2027, 1, 1), (date(2026, 12, 28), date(2027, 1, 3))),  # W53
    ],
)
def test_presets(preset: Preset, today: date, expected: tuple[date, date]) -> None:
    assert preset_days(preset, today) == expected


def test_a_custom_period_has_no_preset_days() -> None:
    with pytest.raises(ValueError, match="its own dates"):
        preset_days(Preset.CUSTOM, WEDNESDAY)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_preset_contains_today_or_ends_before_it(today: date) -> None:
    for preset in (Preset.THIS_WEEK, Preset.LAST_4_WEEKS, Preset.THIS_QUARTER):
        start, end = preset_days(preset, today)
        assert start <= today <= end
    start, end = preset_days(Preset.LAST_QUARTER, today)
    assert end < today
    assert end + timedelta(days=1) == preset_days(Preset.THIS_QUARTER, today)[0]
    assert 89 <= (end - start).days + 1 <= 92


def test_weeks_between_names_every_week_touched() -> None:
    assert weeks_between(date(2026, 12, 6), date(2026, 12, 7)) == [Week(2026, 49), Week(2026, 50)]
    assert weeks_between(date(2026, 12, 28), date(2027, 1, 4)) == [Week(2026, 53), Week(2027, 1)]
    assert weeks_between(WEDNESDAY, WEDNESDAY) == [Week(2026, 49)]


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [
        ([], 50, None),
        ([7.0], 90, 7.0),
        ([4.0, 1.0, 3.0, 2.0], 50, 2.0),  # ceil(0.5 * 4) = 2nd smallest
        ([1.0, 2.0, 3.0, 4.0, 5.0], 50, 3.0),
        ([float(v) for v in range(1, 11)], 90, 9.0),
        ([float(v) for v in range(1, 11)], 91, 10.0),
        ([1.0, 2.0], 100, 2.0),
    ],
)
def test_nearest_rank(values: list[float], percent: float, expected: float | None) -> None:
    assert nearest_rank(values, percent) == expected


def test_a_percent_outside_the_range_is_refused() -> None:
    with pytest.raises(ValueError, match="percent"):
        nearest_rank([1.0], 0)
