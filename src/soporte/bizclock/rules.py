"""What a business calendar is made of: weekly hours, holiday rules and one-off closures.

Plain values, no behaviour beyond "which dates does this rule name in a year". Times of day are
minutes after local midnight so that a window may close at 24:00.
"""

from __future__ import annotations

import calendar as _stdcal
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.easter import EASTER_WESTERN, easter

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Names = Mapping[str, str]
"""A name per language code, e.g. ``{"es": "Viernes Santo", "en": "Good Friday"}``."""


def display_name(names: Names, lang: str) -> str:
    """The name in ``lang``, else in English, else any."""
    return names.get(lang) or names.get("en") or next(iter(names.values()), "")


@dataclass(frozen=True, slots=True)
class Window:
    """Local opening hours, half-open ``[opens, closes)``, in minutes after midnight."""

    opens: int
    closes: int

    def __post_init__(self) -> None:
        if not 0 <= self.opens < self.closes <= 24 * 60:
            raise ValueError(f"opening hours {self} must satisfy 00:00 <= opens < closes <= 24:00")

    def __str__(self) -> str:
        return f"{_hhmm(self.opens)}-{_hhmm(self.closes)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class _Rule:
    names: Names = field(compare=False)
    since: int | None = None
    until: int | None = None

    def applies(self, year: int) -> bool:
        return (self.since is None or year >= self.since) and (
            self.until is None or year <= self.until
        )


@dataclass(frozen=True, slots=True)
class FixedDate(_Rule):
    """The same date every year (1 Jan). Never shifted off a weekend (READING.md §1)."""

    month: int = 1
    day: int = 1

    def dates(self, year: int) -> list[date]:
        if not self.applies(year):
            return []
        if self.day > _stdcal.monthrange(year, self.month)[1]:
            return []  # 29 Feb outside leap years
        return [date(year, self.month, self.day)]


@dataclass(frozen=True, slots=True)
class EasterOffset(_Rule):
    """Western Easter Sunday plus ``days`` (Good Friday is -2)."""

    days: int = 0

    def dates(self, year: int) -> list[date]:
        if not self.applies(year):
            return []
        return [easter(year, EASTER_WESTERN) + timedelta(days=self.days)]


@dataclass(frozen=True, slots=True)
class NthWeekday(_Rule):
    """The ``nth`` given weekday of a month ("first Monday of February"); ``nth=-1`` is the last."""

    month: int = 1
    weekday: int = 0
    nth: int = 1

    def dates(self, year: int) -> list[date]:
        if not self.applies(year):
            return []
        days = [
            week[self.weekday]
            for week in _stdcal.Calendar().monthdatescalendar(year, self.month)
            if week[self.weekday].month == self.month
        ]
        index = self.nth - 1 if self.nth > 0 else self.nth
        return [days[index]] if -len(days) <= index < len(days) else []


HolidayRule = FixedDate | EasterOffset | NthWeekday


@dataclass(frozen=True, slots=True)
class Closure:
    """A one-off closure ``[starts, ends)`` between local (naive) times of the calendar zone."""

    starts: datetime
    ends: datetime
    names: Names = field(compare=False)

    def __post_init__(self) -> None:
        if self.starts.tzinfo is not None or self.ends.tzinfo is not None:
            raise ValueError("closure bounds are local times of the calendar's zone (no offset)")
        if self.ends <= self.starts:
            raise ValueError(f"closure ends {self.ends} at or before it starts {self.starts}")


@dataclass(frozen=True, slots=True)
class CalendarSpec:
    """A business calendar: IANA zone, hours per weekday (Monday first), holidays, closures."""

    zone: str
    week: tuple[tuple[Window, ...], ...]
    holidays: tuple[HolidayRule, ...] = ()
    closures: tuple[Closure, ...] = ()

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("weekly hours need one entry per weekday, Monday first")
        # Each day's windows in opening order, whatever order they were given in: the calendar
        # lays them out one after the other and relies on that order.
        week = tuple(tuple(sorted(windows, key=lambda w: w.opens)) for windows in self.week)
        object.__setattr__(self, "week", week)
        for day, ordered in zip(WEEKDAYS, self.week, strict=True):
            for before, after in itertools.pairwise(ordered):
                if after.opens < before.closes:
                    raise ValueError(f"{day}: windows {before} and {after} overlap")
        if not any(self.week):
            raise ValueError("the week has no business hours at all")
