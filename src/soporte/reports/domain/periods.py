"""The reports page's period presets, as days of the Mexico City calendar (both ends included),
and the weeks a period covers. Pure: ``today`` is a parameter (the caller's local date)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from soporte.feedback.domain.weeks import Week, week_of_day

LONGEST = timedelta(days=731)
"""The longest custom period (two years and a day): longer asks are refused, not truncated."""


class Preset(StrEnum):
    THIS_WEEK = "this_week"
    LAST_4_WEEKS = "last_4_weeks"
    THIS_QUARTER = "this_quarter"
    LAST_QUARTER = "last_quarter"
    CUSTOM = "custom"


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def preset_days(preset: Preset, today: date) -> tuple[date, date]:
    """The first and last day of ``preset`` seen on ``today``: whole ISO weeks (Monday to
    Sunday) and whole calendar quarters, the current one included, so a chart by week never
    starts or ends with a partial week. "Last 4 weeks" is this week and the three before it."""
    monday = week_of_day(today).monday
    match preset:
        case Preset.THIS_WEEK:
            return monday, monday + timedelta(days=6)
        case Preset.LAST_4_WEEKS:
            return monday - timedelta(weeks=3), monday + timedelta(days=6)
        case Preset.THIS_QUARTER:
            start = _quarter_start(today)
            return start, _quarter_start(start + timedelta(days=92)) - timedelta(days=1)
        case Preset.LAST_QUARTER:
            end = _quarter_start(today) - timedelta(days=1)
            return _quarter_start(end), end
    raise ValueError(f"{preset} is chosen by its own dates")


def weeks_between(start: date, end: date) -> list[Week]:
    """Every ISO week that has a day in ``[start, end]``, in order."""
    weeks: list[Week] = []
    week = week_of_day(start)
    while week.monday <= end:
        weeks.append(week)
        week = week.shifted(1)
    return weeks
