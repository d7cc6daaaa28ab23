"""Business-time arithmetic over a :class:`CalendarSpec`, exact to the microsecond, for any year.

For a contiguous range of years the calendar keeps its business windows as offsets from the
epoch (``starts``/``ends``, see :mod:`soporte.bizclock.years`) with prefix sums of business
time. The business *position* of an instant ``t`` in window ``i`` is
``base[i] + min(t, ends[i])`` (``base[i]`` is the business time before window ``i`` minus its
start), so ``add`` and ``elapsed`` are one or two bisections: a one-hour and a two-hundred-hour
target cost the same, whatever the distance to the next holiday. Years are built on demand, in
both directions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from soporte.bizclock.micros import US, Micros, as_micros
from soporte.bizclock.rules import CalendarSpec, Closure, Names
from soporte.bizclock.years import EPOCH, Span, instant, offset, year_windows

_ZERO = timedelta(0)
_MIN_YEAR, _MAX_YEAR = 2, 9998
_MIN_AT = datetime(_MIN_YEAR, 1, 2, tzinfo=EPOCH.tzinfo) - EPOCH
_MAX_AT = datetime(_MAX_YEAR, 12, 30, tzinfo=EPOCH.tzinfo) - EPOCH


@dataclass(frozen=True, slots=True)
class Holiday:
    """A named day (or one-off closure) without business hours, as found in a year."""

    day: date
    names: Names
    closure: Closure | None = None


@dataclass(frozen=True, slots=True)
class ClosedPeriod:
    """A stretch without business hours between two business windows, and why it was closed."""

    starts: datetime
    ends: datetime
    holidays: tuple[Holiday, ...]
    closed_days: tuple[date, ...]
    """Whole local days inside the period with no hours that week (weekend days)."""


class BusinessCalendar:
    """Business-time arithmetic for one :class:`CalendarSpec`. Aware datetimes in and out."""

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.zone = ZoneInfo(spec.zone)
        self._first_year = 0
        self._last_year = -1
        self._starts: list[timedelta] = []
        self._ends: list[timedelta] = []
        self._base: list[timedelta] = []
        self._cum_end: list[timedelta] = []
        self._holidays: dict[int, dict[date, Holiday]] = {}
        self._vectors: tuple[Micros, Micros, Micros, Micros] | None = None

    # ----------------------------------------------------------------- scalar API

    def is_open(self, t: datetime) -> bool:
        at = self._covered(offset(t))
        i = bisect_right(self._starts, at) - 1
        return i >= 0 and at < self._ends[i]

    def next_open(self, t: datetime) -> datetime:
        """``t`` itself when open, else the next opening."""
        return instant(self._next_open(self._covered(offset(t))), self.zone)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant at which ``duration`` of business time has accrued since ``start``.

        A zero duration rolls forward to the next opening; a due time that lands on a close
        stays there.
        """
        at = offset(start)
        starts = self._starts
        if not starts or at < starts[0] or at >= self._ends[-1]:
            self._covered(at)
        if duration <= _ZERO:
            if duration < _ZERO:
                raise ValueError(f"cannot add a negative business duration ({duration})")
            return instant(self._next_open(at), self.zone)
        reach = self._position(at) + duration
        cum_end = self._cum_end
        if reach > cum_end[-1]:
            self._cover_position(reach)
            cum_end = self._cum_end
        return (EPOCH + (reach - self._base[bisect_left(cum_end, reach)])).astimezone(self.zone)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``; zero when ``end`` is not after ``start``."""
        at, until = offset(start), offset(end)
        if until <= at:
            return _ZERO
        starts = self._starts
        if not starts or at < starts[0] or until >= self._ends[-1]:
            self._covered(at)
            self._covered(until)
        return self._position(until) - self._position(at)

    def close_of_business_day(self, t: datetime) -> datetime:
        """The last close of the business day in progress at ``t``, or of the next business day."""
        at = self._covered(offset(t))
        j = bisect_right(self._ends, at)
        self._cover_index(j + 1)
        day = instant(self._starts[j], self.zone).date()
        while j + 1 < len(self._starts) and instant(self._starts[j + 1], self.zone).date() == day:
            j += 1
            self._cover_index(j + 1)
        return instant(self._ends[j], self.zone)

    # ------------------------------------------------------------------ batch API

    def add_many(self, starts: npt.ArrayLike, durations: npt.ArrayLike) -> Micros:
        """Vector ``add``: UTC microseconds (or ``datetime64``) and microseconds (or
        ``timedelta64``) in, due times as UTC microseconds out."""
        us = as_micros(starts)
        amount = np.broadcast_to(as_micros(durations), us.shape)
        if us.size == 0:
            return us.copy()
        if (amount < 0).any():
            raise ValueError("cannot add a negative business duration")
        self._covered(US * int(us.min()))
        self._covered(US * int(us.max()))
        position = self._positions(us) + amount
        self._cover_position(US * int(position.max()))
        s, e, cum, cum_end = self._arrays()
        j = np.searchsorted(cum_end, position, side="left")
        due: Micros = s[j] + position - cum[j]
        zero = amount == 0
        if zero.any():
            k = np.searchsorted(e, us[zero], side="right")
            due[zero] = np.maximum(us[zero], s[k])
        return due

    def elapsed_many(self, starts: npt.ArrayLike, ends: npt.ArrayLike) -> Micros:
        """Vector ``elapsed``: business microseconds in each ``[start, end)`` (zero if reversed)."""
        a, b = as_micros(starts), as_micros(ends)
        if a.size == 0:
            return a.copy()
        self._covered(US * int(min(a.min(), b.min())))
        self._covered(US * int(max(a.max(), b.max())))
        spans: Micros = np.maximum(self._positions(b) - self._positions(a), 0)
        return spans

    # ---------------------------------------------------------------- introspection

    def windows(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """Business windows whose local start date falls in ``[first, last]``."""
        lo = offset(datetime.combine(first, time(), self.zone))
        hi = offset(datetime.combine(last + timedelta(days=1), time(), self.zone))
        self._covered(lo)
        self._covered(hi)
        i, j = bisect_left(self._starts, lo), bisect_left(self._starts, hi)
        return [
            (instant(s, self.zone), instant(e, self.zone))
            for s, e in zip(self._starts[i:j], self._ends[i:j], strict=True)
        ]

    def holidays(self, first: date, last: date) -> list[Holiday]:
        """Holidays and closures whose local date falls in ``[first, last]``, in date order."""
        found = [
            h
            for year in range(first.year, last.year + 1)
            for d, h in self._holidays_of(year).items()
            if first <= d <= last
        ]
        found += [
            Holiday(c.starts.date(), c.names, c)
            for c in self.spec.closures
            if c.starts.date() <= last and c.ends > datetime.combine(first, time())
        ]
        return sorted(found, key=lambda h: (h.day, h.closure is not None))

    def closed_periods(self, start: datetime, end: datetime) -> list[ClosedPeriod]:
        """The closed stretches that ``[start, end)`` skips, clipped to it."""
        a, b = offset(start), offset(end)
        if b <= a:
            return []
        self._covered(a)
        self._covered(b)
        periods = []
        i = max(bisect_right(self._starts, a) - 1, 0)
        gap_start = a if a < self._starts[i] else self._ends[i]
        for k in range(i + 1, bisect_left(self._starts, b) + 1):
            gap_end = min(self._starts[k], b) if k < len(self._starts) else b
            if max(gap_start, a) < gap_end:  # a stretch already under way at ``a`` is clipped
                periods.append(self._describe_gap(max(gap_start, a), gap_end))
            if k < len(self._ends):
                gap_start = self._ends[k]
        return periods

    def build(self, first_year: int, last_year: int) -> None:
        """Precompute ``[first_year, last_year]`` (otherwise years are built when first needed)."""
        self._extend_to(first_year, last_year)

    # ------------------------------------------------------------------ internals

    def _describe_gap(self, a: timedelta, b: timedelta) -> ClosedPeriod:
        starts, ends = instant(a, self.zone), instant(b, self.zone)
        last = instant(b - US, self.zone).date()  # the last day touched: ``b`` is excluded
        local_start, local_end = starts.replace(tzinfo=None), ends.replace(tzinfo=None)
        holidays = [
            h
            for h in self.holidays(starts.date(), last)
            if h.closure is None or (h.closure.starts < local_end and h.closure.ends > local_start)
        ]
        closed, day = [], starts.date()
        while day <= last:
            if not self.spec.week[day.weekday()] and day not in self._holidays_of(day.year):
                closed.append(day)
            day += timedelta(days=1)
        return ClosedPeriod(starts, ends, tuple(holidays), tuple(closed))

    def _next_open(self, at: timedelta) -> timedelta:
        j = bisect_right(self._ends, at)
        self._cover_index(j)
        return max(at, self._starts[j])

    def _position(self, at: timedelta) -> timedelta:
        i = bisect_right(self._starts, at) - 1
        if i < 0:
            return self._base[0] + self._starts[0]
        end = self._ends[i]
        return self._base[i] + (at if at < end else end)

    def _positions(self, us: Micros) -> Micros:
        s, e, cum, _ = self._arrays()
        i = np.maximum(np.searchsorted(s, us, side="right") - 1, 0)
        positions: Micros = cum[i] + np.clip(us - s[i], 0, e[i] - s[i])
        return positions

    def _arrays(self) -> tuple[Micros, Micros, Micros, Micros]:
        """The windows as NumPy microseconds: starts, ends, cum (business time before each
        window) and cum_end (business time to its end)."""
        if self._vectors is None:
            s, e, base, cum_end = (
                np.array(v, dtype="m8[us]").view(np.int64)
                for v in (self._starts, self._ends, self._base, self._cum_end)
            )
            self._vectors = (s, e, base + s, cum_end)
        return self._vectors

    def _covered(self, at: timedelta) -> timedelta:
        """Make sure the years around ``at`` are built, with a window after it; return ``at``."""
        if not self._starts or at < self._starts[0] or at >= self._ends[-1]:
            year = instant(max(min(at, _MAX_AT), _MIN_AT), self.zone).year
            if year - 1 < self._first_year or year + 1 > self._last_year:
                self._extend_to(year - 1, year + 1)
            elif at >= self._ends[-1]:  # built, but a long closure leaves no window after ``at``
                self._cover_index(len(self._starts))
        return at

    def _cover_index(self, j: int) -> None:
        while j >= len(self._starts):
            self._extend_to(self._first_year, self._last_year + 1)

    def _cover_position(self, reach: timedelta) -> None:
        while reach > self._cum_end[-1]:
            per_year = self._cum_end[-1] / max(self._last_year - self._first_year + 1, 1)
            years = min(int((reach - self._cum_end[-1]) / max(per_year, US)) + 1, 400)
            self._extend_to(self._first_year, self._last_year + years)

    def _extend_to(self, first_year: int, last_year: int) -> None:
        first_year, last_year = max(first_year, _MIN_YEAR), min(last_year, _MAX_YEAR)
        if self._last_year < self._first_year:
            self._first_year, self._last_year = first_year, first_year - 1
        elif first_year >= self._first_year and last_year <= self._last_year:
            raise ValueError(f"business time is only computed for years {_MIN_YEAR}-{_MAX_YEAR}")
        windows: list[Span] = []
        for year in range(first_year, self._first_year):
            windows += self._year(year)
        windows += zip(self._starts, self._ends, strict=True)
        for year in range(self._last_year + 1, last_year + 1):
            windows += self._year(year)
        self._first_year = min(first_year, self._first_year)
        self._last_year = max(last_year, self._last_year)
        self._starts = [s for s, _ in windows]
        self._ends = [e for _, e in windows]
        self._base, self._cum_end, total = [], [], _ZERO
        for s, e in windows:
            self._base.append(total - s)
            total += e - s
            self._cum_end.append(total)
        self._vectors = None
        if not windows:  # closures cover these years entirely: look further ahead
            self._extend_to(self._first_year, self._last_year + 1)

    def _year(self, year: int) -> list[Span]:
        return year_windows(self.spec, self.zone, self._holidays_of(year), year)

    def _holidays_of(self, year: int) -> dict[date, Holiday]:
        """Whole-day holidays from the rules (one-off closures are not whole days)."""
        found = self._holidays.get(year)
        if found is None:
            found = {}
            for rule in self.spec.holidays:
                for day in rule.dates(year):
                    found.setdefault(day, Holiday(day, rule.names))
            self._holidays[year] = found
        return found
