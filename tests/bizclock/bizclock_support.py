"""Shared helpers for the business-clock tests (not collected: no ``test_`` prefix).

Holds the things the tests compare the engine against, written independently of it:

* ``easter_sunday``: the Meeus/Jones/Butcher anonymous Gregorian computus (not dateutil);
* ``mexican_holidays``: the holiday list of SUPPORT.md, computed by hand;
* ``NaiveCalendar``: a deliberately naive business calendar that walks day by day in local time,
  intersects each day's windows (minus holidays and closures) with the interval, and sums.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from soporte.policy import parse_duration

MX = ZoneInfo("America/Mexico_City")
ONE_DAY = timedelta(days=1)
US = timedelta(microseconds=1)


def iso(text: str) -> datetime:
    """An aware datetime from an ISO 8601 string; refuses naive strings so tables stay honest."""
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, f"test table entry {text!r} has no offset"
    return value


def dur(text: str) -> timedelta:
    """A duration as the policy writes it (``"1 bh"``, ``"1 bd"``, ``"90 min"``, ``"0 s"``)."""
    return parse_duration(text, business_day=timedelta(hours=9)).amount


def same_instant_in_zone(actual: datetime, expected: datetime, zone: ZoneInfo = MX) -> None:
    """``actual`` is the instant ``expected`` and is expressed in ``zone`` with the right offset.

    Compared in UTC: Python's ``==`` between aware datetimes is unreliable around DST folds
    (different zones: a time in a repeated hour never compares equal, PEP 495; same zone: the
    wall times are compared and ``fold`` is ignored).
    """
    assert instant(actual) == instant(expected), f"{actual.isoformat()} != {expected.isoformat()}"
    assert actual.tzinfo is not None
    assert getattr(actual.tzinfo, "key", None) == zone.key, actual.tzinfo
    assert actual.utcoffset() == expected.astimezone(zone).utcoffset()


def instant(t: datetime) -> datetime:
    """The same instant in UTC, for comparisons that ``fold`` cannot fool."""
    assert t.tzinfo is not None
    return t.astimezone(UTC)


# ----------------------------------------------------------------- computus and holiday list


def easter_sunday(year: int) -> date:
    """Western Easter Sunday: Meeus/Jones/Butcher ("anonymous Gregorian") algorithm."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def good_friday(year: int) -> date:
    return easter_sunday(year) - timedelta(days=2)


FIXED_HOLIDAYS = ((1, 1), (2, 5), (3, 21), (5, 1), (9, 16), (11, 20), (12, 25), (12, 31))


@cache
def mexican_holidays(year: int) -> frozenset[date]:
    """SUPPORT.md's list, taken literally (READING.md §1)."""
    return frozenset({date(year, m, d) for m, d in FIXED_HOLIDAYS} | {good_friday(year)})


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1-based; -1 = last) ``weekday`` (Monday = 0) of a month, by counting days."""
    days = []
    day = date(year, month, 1)
    while day.month == month:
        if day.weekday() == weekday:
            days.append(day)
        day += ONE_DAY
    index = nth - 1 if nth > 0 else nth
    return days[index] if -len(days) <= index < len(days) else None


# ----------------------------------------------------------------- the naive reference

Minutes = tuple[int, int]


class NaiveCalendar:
    """Business time the slow, obvious way: one local day at a time, no precomputation.

    ``week`` holds, Monday first, each weekday's ``(opens, closes)`` in minutes after local
    midnight. A local time is read the way Python reads it (``fold=0``): in a DST gap with the
    offset in force before the change, in a repeated hour as its first occurrence. A window whose
    two ends read as the same or reversed instants (possible only inside a DST gap) is empty.
    """

    def __init__(
        self,
        zone: str,
        week: Sequence[Iterable[Minutes]],
        holidays: Callable[[int], Iterable[date]] = lambda _year: (),
        closures: Iterable[tuple[datetime, datetime]] = (),
    ) -> None:
        self.zone = ZoneInfo(zone)
        self.week = [sorted(day) for day in week]
        self._holidays = holidays
        self.closures = [
            (
                s.replace(tzinfo=self.zone).astimezone(UTC),
                e.replace(tzinfo=self.zone).astimezone(UTC),
            )
            for s, e in closures
        ]

    def local(self, day: date, minutes: int) -> datetime:
        naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
        return naive.replace(tzinfo=self.zone).astimezone(UTC)

    def day_windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """The business windows of a local date, as UTC instants, closures cut out."""
        if day in set(self._holidays(day.year)):
            return []
        out = []
        for opens, closes in self.week[day.weekday()]:
            pieces = [(self.local(day, opens), self.local(day, closes))]
            for cut_start, cut_end in self.closures:
                kept = []
                for s, e in pieces:
                    if s < cut_start:
                        kept.append((s, min(e, cut_start)))
                    if e > cut_end:
                        kept.append((max(s, cut_end), e))
                pieces = kept
            out += [(s, e) for s, e in pieces if s < e]
        return out

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta(0)
        if end <= start:
            return total
        day = start.astimezone(self.zone).date() - ONE_DAY
        last = end.astimezone(self.zone).date() + ONE_DAY
        while day <= last:
            for s, e in self.day_windows(day):
                lo, hi = max(s, start), min(e, end)
                if lo < hi:
                    total += hi - lo
            day += ONE_DAY
        return total

    def add(self, start: datetime, duration: timedelta) -> datetime:
        assert duration >= timedelta(0)
        remaining = duration
        day = start.astimezone(self.zone).date() - ONE_DAY
        while True:
            for s, e in self.day_windows(day):
                if e <= start:
                    continue
                lo = max(s, start)
                if remaining <= e - lo:
                    return (lo + remaining).astimezone(self.zone)
                remaining -= e - lo
            day += ONE_DAY

    def is_open(self, t: datetime) -> bool:
        day = t.astimezone(self.zone).date()
        return any(
            s <= t < e for d in (day - ONE_DAY, day, day + ONE_DAY) for s, e in self.day_windows(d)
        )


def mexico_reference() -> NaiveCalendar:
    """The default policy's calendar, rebuilt naively from SUPPORT.md / READING.md §1."""
    weekday = [(9 * 60, 18 * 60)]
    return NaiveCalendar("America/Mexico_City", [weekday] * 5 + [[], []], mexican_holidays)
