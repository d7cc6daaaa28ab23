"""The weekly support review's weeks: ISO weeks, Monday 00:00 to Sunday 23:59:59.999999 in the
review's zone (the policy's ``csat.review_zone``, America/Mexico_City), READING.md §7."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Week:
    """ISO week ``number`` of ISO year ``year`` (the year its Thursday falls in)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        last = date(self.year, 12, 28).isocalendar().week  # 28 Dec is always in the last week
        if not 1 <= self.number <= last:
            raise ValueError(f"{self.year} has ISO weeks 1 to {last}, not {self.number}")

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @classmethod
    def parse(cls, label: str) -> Week:
        """``"2026-W49"`` -> ``Week(2026, 49)``; anything else is a ``ValueError``."""
        match = _LABEL.match(label)
        if match is None:
            raise ValueError(f"{label!r} is not an ISO week such as 2026-W49")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    def shifted(self, weeks: int) -> Week:
        """The week ``weeks`` weeks later (earlier when negative)."""
        return week_of_day(self.monday + timedelta(weeks=weeks))


def week_of_day(day: date) -> Week:
    iso = day.isocalendar()
    return Week(iso.year, iso.week)


def week_of(at: datetime, zone: str) -> Week:
    """The review week instant ``at`` (aware) falls in, on the wall clock of ``zone``."""
    if at.tzinfo is None:
        raise ValueError("week_of needs an aware datetime")
    return week_of_day(at.astimezone(ZoneInfo(zone)).date())


def span(week: Week, zone: str) -> tuple[datetime, datetime]:
    """``[start, end)`` of ``week`` as aware instants: its Monday 00:00 and the next Monday's,
    on the wall clock of ``zone``."""
    tz = ZoneInfo(zone)
    start = datetime.combine(week.monday, time(0), tzinfo=tz)
    end = datetime.combine(week.monday + timedelta(weeks=1), time(0), tzinfo=tz)
    return start, end
