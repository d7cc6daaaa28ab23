"""The business windows of one calendar year, as offsets from the UNIX epoch (UTC).

An *offset* is the ``timedelta`` between an instant and 1970-01-01T00:00Z: exact to the
microsecond, cheap to compare and add, and free of zone arithmetic once computed.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from soporte.bizclock.rules import CalendarSpec

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Span = tuple[timedelta, timedelta]

_ONE_DAY = timedelta(days=1)


def offset(t: datetime) -> timedelta:
    """The offset of an aware datetime; a naive one is refused with a clear message."""
    try:
        return t - EPOCH
    except TypeError:
        raise ValueError(f"{t!r} has no time zone; business time needs aware datetimes") from None


def instant(at: timedelta, zone: ZoneInfo) -> datetime:
    """The aware datetime, in ``zone``, of an offset (fold set as the zone dictates)."""
    return (EPOCH + at).astimezone(zone)


def year_windows(
    spec: CalendarSpec, zone: ZoneInfo, holidays: Container[date], year: int
) -> list[Span]:
    """The windows of ``year``: weekly hours on days that are not ``holidays``, minus closures."""
    out: list[Span] = []
    day = date(year, 1, 1)
    while day.year == year:
        windows = spec.week[day.weekday()]
        if windows and day not in holidays:
            midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
            for w in windows:
                opens = offset(midnight + timedelta(minutes=w.opens))
                closes = offset(midnight + timedelta(minutes=w.closes))
                if opens < closes:  # inside a DST gap a window can read as empty or reversed
                    out.append((opens, closes))
        day += _ONE_DAY
    return _subtract(out, _closures_in(spec, zone, year))


def _closures_in(spec: CalendarSpec, zone: ZoneInfo, year: int) -> list[Span]:
    lo = datetime(year, 1, 1)  # noqa: DTZ001 - local bounds of the calendar's zone
    hi = datetime(year + 1, 1, 1)  # noqa: DTZ001
    return [
        (offset(c.starts.replace(tzinfo=zone)), offset(c.ends.replace(tzinfo=zone)))
        for c in spec.closures
        if c.starts < hi and c.ends > lo
    ]


def _subtract(windows: list[Span], cuts: Iterable[Span]) -> list[Span]:
    for cut_start, cut_end in cuts:
        kept: list[Span] = []
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
