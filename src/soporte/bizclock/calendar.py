"""Business-time arithmetic over a :class:`CalendarSpec`, exact to the microsecond, for any year.

The calendar keeps, for a contiguous range of years, the business intervals as UTC
microseconds (``starts``/``ends``) with prefix sums of business time (``cum``). The business
"position" of an instant is then one bisection away, so ``add`` and ``elapsed`` cost the same
for a one-hour and a two-hundred-hour target and whatever the distance to the next holiday.
Years are added on demand, in both directions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from soporte.bizclock.rules import CalendarSpec, Closure, Names

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_fromtimestamp = datetime.fromtimestamp
_MIN_YEAR, _MAX_YEAR = 2, 9998

Micros = npt.NDArray[np.int64]


def to_micros(t: datetime) -> int:
    """UTC microseconds since the epoch of an aware datetime (exact, any year)."""
    try:
        delta = t - _EPOCH
    except TypeError:
        raise ValueError(f"{t!r} has no time zone; business time needs aware datetimes") from None
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(us: int, zone: ZoneInfo | timezone = UTC) -> datetime:
    """The aware datetime, in ``zone``, of UTC microseconds since the epoch (exact, any year)."""
    seconds, micro = divmod(us, 1_000_000)
    if not micro:  # the common case: due times on whole seconds
        return _fromtimestamp(seconds, zone)
    return (_fromtimestamp(seconds, UTC) + timedelta(0, 0, micro)).astimezone(zone)


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
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._cum: list[int] = []
        self._cum_end: list[int] = []
        self._holidays: dict[int, dict[date, Holiday]] = {}
        self._arrays: tuple[Micros, Micros, Micros, Micros] | None = None

    # ----------------------------------------------------------------- scalar API

    def is_open(self, t: datetime) -> bool:
        us = self._covered(to_micros(t))
        i = bisect_right(self._starts, us) - 1
        return i >= 0 and us < self._ends[i]

    def next_open(self, t: datetime) -> datetime:
        """``t`` itself when open, else the next opening."""
        us = self._covered(to_micros(t))
        return from_micros(self._next_open_us(us), self.zone)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant at which ``duration`` of business time has accrued since ``start``.

        A zero duration rolls forward to the next opening; a due time that lands on a close
        stays there.
        """
        us = self._covered(to_micros(start))
        amount = duration // _US
        if amount < 0:
            raise ValueError(f"cannot add a negative business duration ({duration})")
        if amount == 0:
            return from_micros(self._next_open_us(us), self.zone)
        target = self._position(us) + amount
        self._cover_position(target)
        j = bisect_left(self._cum_end, target)
        return from_micros(self._starts[j] + target - self._cum[j], self.zone)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``; zero when ``end`` is not after ``start``."""
        a, b = to_micros(start), to_micros(end)
        if b <= a:
            return timedelta(0)
        self._covered(a)
        self._covered(b)
        return timedelta(microseconds=self._position(b) - self._position(a))

    def close_of_business_day(self, t: datetime) -> datetime:
        """The last close of the business day in progress at ``t``, or of the next business day."""
        us = self._covered(to_micros(t))
        j = bisect_right(self._ends, us)
        self._cover_index(j + 1)
        day = from_micros(self._starts[j], self.zone).date()
        while (
            j + 1 < len(self._starts)
            and from_micros(self._starts[j + 1], self.zone).date() == day
        ):
            j += 1
        return from_micros(self._ends[j], self.zone)

    # ------------------------------------------------------------------ batch API

    def add_many(self, starts: npt.ArrayLike, durations: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Vector ``add``: UTC microseconds (or ``datetime64``) and microseconds (or ``timedelta64``)
        in, due times as UTC microseconds out."""
        us = _as_micros(starts)
        amount = np.broadcast_to(_as_micros(durations), us.shape)
        if us.size == 0:
            return us.copy()
        if (amount < 0).any():
            raise ValueError("cannot add a negative business duration")
        self._covered(int(us.min()))
        self._covered(int(us.max()))
        position = self._positions(us) + amount
        self._cover_position(int(position.max()))
        s, e, cum, cum_end = self._vectors()
        j = np.searchsorted(cum_end, position, side="left")
        due = s[j] + position - cum[j]
        zero = amount == 0
        if zero.any():
            k = np.searchsorted(e, us[zero], side="right")
            due[zero] = np.maximum(us[zero], s[k])
        return due

    def elapsed_many(self, starts: npt.ArrayLike, ends: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Vector ``elapsed``: business microseconds in each ``[start, end)`` (zero if reversed)."""
        a, b = _as_micros(starts), _as_micros(ends)
        if a.size == 0:
            return a.copy()
        self._covered(int(min(a.min(), b.min())))
        self._covered(int(max(a.max(), b.max())))
        return np.maximum(self._positions(b) - self._positions(a), 0)

    # ---------------------------------------------------------------- introspection

    def windows(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """Business windows whose local start date falls in ``[first, last]``."""
        lo = to_micros(datetime.combine(first, time(), self.zone))
        hi = to_micros(datetime.combine(last + timedelta(days=1), time(), self.zone))
        self._covered(lo)
        self._covered(hi)
        i, j = bisect_left(self._starts, lo), bisect_left(self._starts, hi)
        return [
            (from_micros(s, self.zone), from_micros(e, self.zone))
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
        a, b = to_micros(start), to_micros(end)
        if b <= a:
            return []
        self._covered(a)
        self._covered(b)
        periods = []
        i = max(bisect_right(self._starts, a) - 1, 0)
        gap_start = a if a < self._starts[i] else self._ends[i]
        for k in range(i + 1, bisect_left(self._starts, b) + 1):
            gap_end = min(self._starts[k], b) if k < len(self._starts) else b
            if gap_start < gap_end and gap_start >= a:
                periods.append(self._describe_gap(max(gap_start, a), gap_end))
            if k < len(self._ends):
                gap_start = self._ends[k]
        return periods

    def build(self, first_year: int, last_year: int) -> None:
        """Precompute ``[first_year, last_year]`` (otherwise years are built when first needed)."""
        self._extend_to(first_year, last_year)

    # ------------------------------------------------------------------ internals

    def _describe_gap(self, a: int, b: int) -> ClosedPeriod:
        starts, ends = from_micros(a, self.zone), from_micros(b, self.zone)
        holidays = [
            h
            for h in self.holidays(starts.date(), ends.date())
            if h.closure is None or (h.closure.starts < ends.replace(tzinfo=None)
                                     and h.closure.ends > starts.replace(tzinfo=None))
        ]
        closed, day = [], starts.date()
        while day <= ends.date():
            if not self.spec.week[day.weekday()] and day not in self._holidays_of(day.year):
                closed.append(day)
            day += timedelta(days=1)
        return ClosedPeriod(starts, ends, tuple(holidays), tuple(closed))

    def _next_open_us(self, us: int) -> int:
        j = bisect_right(self._ends, us)
        self._cover_index(j)
        return max(us, self._starts[j])

    def _position(self, us: int) -> int:
        i = bisect_right(self._starts, us) - 1
        if i < 0:
            return self._cum[0]
        end = self._ends[i]
        return self._cum[i] + (us if us < end else end) - self._starts[i]

    def _positions(self, us: Micros) -> Micros:
        s, e, cum, _ = self._vectors()
        i = np.maximum(np.searchsorted(s, us, side="right") - 1, 0)
        return cum[i] + np.clip(us - s[i], 0, e[i] - s[i])

    def _vectors(self) -> tuple[Micros, Micros, Micros, Micros]:
        if self._arrays is None:
            self._arrays = tuple(  # type: ignore[assignment]
                np.asarray(v, dtype=np.int64)
                for v in (self._starts, self._ends, self._cum, self._cum_end)
            )
        assert self._arrays is not None
        return self._arrays

    def _covered(self, us: int) -> int:
        """Make sure the years around ``us`` are built; return ``us``."""
        if not self._starts or us < self._starts[0] or us >= self._ends[-1]:
            year = from_micros(max(min(us, _MAX_US), _MIN_US), self.zone).year
            self._extend_to(year - 1, year + 1)
        return us

    def _cover_index(self, j: int) -> None:
        while j >= len(self._starts):
            self._extend_to(self._first_year, self._last_year + 1)

    def _cover_position(self, target: int) -> None:
        while target > self._cum_end[-1]:
            per_year = max(self._cum_end[-1] // max(self._last_year - self._first_year + 1, 1), 1)
            years = min(max((target - self._cum_end[-1]) // per_year + 1, 1), 400)
            self._extend_to(self._first_year, self._last_year + years)

    def _extend_to(self, first_year: int, last_year: int) -> None:
        first_year, last_year = max(first_year, _MIN_YEAR), min(last_year, _MAX_YEAR)
        if self._last_year < self._first_year:
            self._first_year, self._last_year = first_year, first_year - 1
        elif first_year >= self._first_year and last_year <= self._last_year:
            raise ValueError(f"business time is only computed for years {_MIN_YEAR}-{_MAX_YEAR}")
        windows: list[tuple[int, int]] = []
        for year in range(first_year, self._first_year):
            windows += self._year_windows(year)
        windows += zip(self._starts, self._ends, strict=True)
        for year in range(self._last_year + 1, last_year + 1):
            windows += self._year_windows(year)
        self._first_year = min(first_year, self._first_year)
        self._last_year = max(last_year, self._last_year)
        self._starts = [s for s, _ in windows]
        self._ends = [e for _, e in windows]
        self._cum, self._cum_end, total = [], [], 0
        for s, e in windows:
            self._cum.append(total)
            total += e - s
            self._cum_end.append(total)
        self._arrays = None
        if not windows:  # closures cover these years entirely: look further ahead
            self._extend_to(self._first_year, self._last_year + 1)

    def _year_windows(self, year: int) -> list[tuple[int, int]]:
        closed = self._holidays_of(year)
        zone, week = self.zone, self.spec.week
        out: list[tuple[int, int]] = []
        day = date(year, 1, 1)
        one_day = timedelta(days=1)
        while day.year == year:
            windows = week[day.weekday()]
            if windows and day not in closed:
                midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
                for w in windows:
                    opens = midnight + timedelta(minutes=w.opens)
                    closes = midnight + timedelta(minutes=w.closes)
                    out.append((to_micros(opens), to_micros(closes)))
            day += one_day
        return _subtract(out, self._closures_in(year))

    def _closures_in(self, year: int) -> list[tuple[int, int]]:
        lo = datetime(year, 1, 1)  # noqa: DTZ001 - local bounds of the calendar's zone
        hi = datetime(year + 1, 1, 1)  # noqa: DTZ001
        return [
            (to_micros(c.starts.replace(tzinfo=self.zone)), to_micros(c.ends.replace(tzinfo=self.zone)))
            for c in self.spec.closures
            if c.starts < hi and c.ends > lo
        ]

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


_MIN_US = to_micros(datetime(_MIN_YEAR, 1, 2, tzinfo=UTC))
_MAX_US = to_micros(datetime(_MAX_YEAR, 12, 30, tzinfo=UTC))


def _subtract(windows: list[tuple[int, int]], cuts: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    for cut_start, cut_end in cuts:
        kept: list[tuple[int, int]] = []
        for s, e in windows:
            if e <= cut_start or s >= cut_end:
                kept.append((s, e))
                continue
            if s < cut_start:
                kept.append((s, cut_start))
            if e > cut_end:
                kept.append((cut_end, e))
        windows = kept
    return windows


def _as_micros(values: npt.ArrayLike) -> Micros:
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.datetime64) or np.issubdtype(array.dtype, np.timedelta64):
        unit = "M8[us]" if array.dtype.kind == "M" else "m8[us]"
        return array.astype(unit).view(np.int64)
    if array.dtype == object:
        return np.fromiter((_object_micros(v) for v in array.ravel()), np.int64).reshape(array.shape)
    return array.astype(np.int64, copy=False)


def _object_micros(value: object) -> int:
    if isinstance(value, datetime):
        return to_micros(value)
    if isinstance(value, timedelta):
        return value // _US
    raise TypeError(f"expected datetimes, timedeltas or integer microseconds, got {value!r}")
