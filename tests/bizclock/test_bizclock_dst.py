"""Calendars in zones with daylight saving, and Mexico City's own change of October 2022.

How local times are read (what these tests pin down):

* Opening hours are local wall times. On a 23-hour or 25-hour day a 09:00-18:00 window is still
  9 business hours; a window that spans the change is as long as the real time it covers
  (01:00-04:00 is 2 h on the spring-forward night and 4 h on the fall-back night of a zone that
  changes at 02:00: the repeated hour counts twice, the skipped hour not at all).
* A local time that does not exist (inside the spring-forward gap) is read as Python reads it
  (PEP 495, ``fold=0``): with the offset in force *before* the change, i.e. pushed forward by
  the gap. In New York 02:30 on 8 Mar 2026 reads as 07:30Z = 03:30 EDT. A time in the repeated
  hour reads as its first occurrence.
* A window whose two ends, so read, coincide or are reversed (opening inside the gap and closing
  less than an hour after it) is empty that day: no business time, no opening.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from bizclock_support import NaiveCalendar, dur, instant, iso, same_instant_in_zone

from soporte.bizclock import BusinessCalendar, CalendarSpec, Window, to_micros
from soporte.policy import default_policy

NY = ZoneInfo("America/New_York")

NINE_TO_SIX = (Window(9 * 60, 18 * 60),)


def daily(zone: str, *windows: tuple[int, int]) -> BusinessCalendar:
    """Every day of the week open with the same windows (minutes after local midnight)."""
    day = tuple(Window(o, c) for o, c in windows)
    return BusinessCalendar(CalendarSpec(zone, (day,) * 7))


def ny_daily() -> BusinessCalendar:
    return daily("America/New_York", (540, 1080))


def madrid_daily() -> BusinessCalendar:
    return daily("Europe/Madrid", (540, 1080))


def ny_weekdays() -> BusinessCalendar:
    return BusinessCalendar(CalendarSpec("America/New_York", (NINE_TO_SIX,) * 5 + ((), ())))


# New York: spring forward Sun 8 Mar 2026 02:00 EST -> 03:00 EDT; fall back Sun 1 Nov 2026
# 02:00 EDT -> 01:00 EST. Madrid: Sun 29 Mar 2026 02:00 CET -> 03:00 CEST; Sun 25 Oct 2026
# 03:00 CEST -> 02:00 CET.

WINDOWS_ON_TRANSITION_DAYS = [
    (ny_daily, "2026-03-08", ("2026-03-08T09:00:00-04:00", "2026-03-08T18:00:00-04:00")),
    (ny_daily, "2026-11-01", ("2026-11-01T09:00:00-05:00", "2026-11-01T18:00:00-05:00")),
    (ny_daily, "2026-03-07", ("2026-03-07T09:00:00-05:00", "2026-03-07T18:00:00-05:00")),
    (madrid_daily, "2026-03-29", ("2026-03-29T09:00:00+02:00", "2026-03-29T18:00:00+02:00")),
    (madrid_daily, "2026-10-25", ("2026-10-25T09:00:00+01:00", "2026-10-25T18:00:00+01:00")),
]


@pytest.mark.parametrize(("make", "day", "window"), WINDOWS_ON_TRANSITION_DAYS)
def test_nine_to_six_on_a_transition_day_is_nine_hours(
    make, day: str, window: tuple[str, str]
) -> None:
    cal = make()
    found = cal.windows(date.fromisoformat(day), date.fromisoformat(day))
    assert [(instant(s), instant(e)) for s, e in found] == [
        (instant(iso(window[0])), instant(iso(window[1])))
    ]
    opens, closes = found[0]
    assert opens.tzinfo == cal.zone
    assert opens.utcoffset() == iso(window[0]).utcoffset()
    assert instant(closes) - instant(opens) == timedelta(hours=9)  # real hours, not wall
    midnight = iso(f"{day}T00:00:00+00:00").replace(tzinfo=cal.zone)
    next_midnight = (midnight + timedelta(days=1)).replace(tzinfo=cal.zone)
    assert cal.elapsed(midnight, next_midnight) == timedelta(hours=9)


DST_ADD = [
    # (calendar, start, duration, due)
    (ny_daily, "2026-03-07T17:00:00-05:00", "2 bh", "2026-03-08T10:00:00-04:00"),
    (ny_daily, "2026-03-07T18:00:00-05:00", "0 bh", "2026-03-08T09:00:00-04:00"),
    (ny_daily, "2026-03-08T03:30:00-04:00", "1 bh", "2026-03-08T10:00:00-04:00"),  # after gap
    (ny_daily, "2026-10-31T17:00:00-04:00", "2 bh", "2026-11-01T10:00:00-05:00"),
    (ny_daily, "2026-11-01T01:30:00-05:00", "1 bh", "2026-11-01T10:00:00-05:00"),  # 2nd 01:30
    (ny_daily, "2026-03-07T09:00:00-05:00", "18 bh", "2026-03-08T18:00:00-04:00"),
    (ny_weekdays, "2026-03-06T17:30:00-05:00", "1 bh", "2026-03-09T09:30:00-04:00"),
    (ny_weekdays, "2026-10-30T17:30:00-04:00", "1 bh", "2026-11-02T09:30:00-05:00"),
    (madrid_daily, "2026-03-28T17:00:00+01:00", "2 bh", "2026-03-29T10:00:00+02:00"),
    (madrid_daily, "2026-10-24T17:00:00+02:00", "2 bh", "2026-10-25T10:00:00+01:00"),
]


@pytest.mark.parametrize(("make", "start", "duration", "due"), DST_ADD)
def test_add_across_a_transition(make, start: str, duration: str, due: str) -> None:
    cal = make()
    same_instant_in_zone(cal.add(iso(start), dur(duration)), iso(due), cal.zone)
    if dur(duration):
        assert cal.elapsed(iso(start), iso(due)) == dur(duration)


DST_ELAPSED = [
    (ny_daily, "2026-03-07T09:00:00-05:00", "2026-03-09T09:00:00-04:00", 18),
    (ny_daily, "2026-03-07T18:00:00-05:00", "2026-03-08T09:00:00-04:00", 0),  # a 14 h night
    (ny_daily, "2026-10-31T18:00:00-04:00", "2026-11-01T09:00:00-05:00", 0),  # a 16 h night
    (ny_daily, "2026-10-31T12:00:00-04:00", "2026-11-01T12:00:00-05:00", 9),
    (ny_weekdays, "2026-03-06T17:00:00-05:00", "2026-03-09T10:00:00-04:00", 2),
    (ny_weekdays, "2026-10-30T17:00:00-04:00", "2026-11-02T10:00:00-05:00", 2),
    (ny_weekdays, "2026-03-02T00:00:00-05:00", "2026-03-16T00:00:00-04:00", 90),
    (madrid_daily, "2026-03-28T12:00:00+01:00", "2026-03-29T12:00:00+02:00", 9),
    (madrid_daily, "2026-10-24T12:00:00+02:00", "2026-10-25T12:00:00+01:00", 9),
    (madrid_daily, "2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00", 31 * 9),
]


@pytest.mark.parametrize(("make", "start", "end", "hours"), DST_ELAPSED)
def test_elapsed_across_a_transition(make, start: str, end: str, hours: int) -> None:
    assert make().elapsed(iso(start), iso(end)) == timedelta(hours=hours)


def test_opening_instants_in_utc_follow_the_offset() -> None:
    cal = ny_daily()
    assert instant(cal.next_open(iso("2026-03-07T00:00:00-05:00"))) == instant(
        iso("2026-03-07T14:00:00+00:00")
    )
    assert instant(cal.next_open(iso("2026-03-08T00:00:00-05:00"))) == instant(
        iso("2026-03-08T13:00:00+00:00")
    )
    assert instant(cal.next_open(iso("2026-11-01T00:00:00-04:00"))) == instant(
        iso("2026-11-01T14:00:00+00:00")
    )


# ---------------------------------------------------- windows that straddle or sit in the gap

NIGHT_WINDOWS = [
    # (opens, closes), day, expected real windows: the documented reading of local times
    ((60, 240), "2026-03-07", [("2026-03-07T01:00:00-05:00", "2026-03-07T04:00:00-05:00")]),
    ((60, 240), "2026-03-08", [("2026-03-08T01:00:00-05:00", "2026-03-08T04:00:00-04:00")]),  # 2 h
    ((60, 240), "2026-11-01", [("2026-11-01T01:00:00-04:00", "2026-11-01T04:00:00-05:00")]),  # 4 h
    # opening inside the gap: 02:30 reads as 02:30 EST = 03:30 EDT
    ((150, 300), "2026-03-08", [("2026-03-08T03:30:00-04:00", "2026-03-08T05:00:00-04:00")]),
    ((150, 300), "2026-03-09", [("2026-03-09T02:30:00-04:00", "2026-03-09T05:00:00-04:00")]),
    # closing inside the gap: 02:30 reads as 03:30 EDT, so the window is 1 h 30 of real time
    ((60, 150), "2026-03-08", [("2026-03-08T01:00:00-05:00", "2026-03-08T03:30:00-04:00")]),
    # both ends inside the gap: a real half hour, read as 03:15-03:45 EDT
    ((135, 165), "2026-03-08", [("2026-03-08T03:15:00-04:00", "2026-03-08T03:45:00-04:00")]),
    # 02:00-03:00 is exactly the gap: both ends read as 07:00Z: empty that day
    ((120, 180), "2026-03-08", []),
    ((120, 180), "2026-03-09", [("2026-03-09T02:00:00-04:00", "2026-03-09T03:00:00-04:00")]),
    # 02:30-03:15 reads as 07:30Z-07:15Z, reversed: empty that day (never negative time)
    ((150, 195), "2026-03-08", []),
    ((150, 195), "2026-11-01", [("2026-11-01T02:30:00-05:00", "2026-11-01T03:15:00-05:00")]),
    # a window ending at 24:00 on the short and the long day
    ((1200, 1440), "2026-03-08", [("2026-03-08T20:00:00-04:00", "2026-03-09T00:00:00-04:00")]),
    ((0, 180), "2026-11-01", [("2026-11-01T00:00:00-04:00", "2026-11-01T03:00:00-05:00")]),  # 4 h
]


@pytest.mark.parametrize(("hours", "day", "expected"), NIGHT_WINDOWS)
def test_windows_around_the_gap(
    hours: tuple[int, int], day: str, expected: list[tuple[str, str]]
) -> None:
    cal = daily("America/New_York", hours)
    d = date.fromisoformat(day)
    found = cal.windows(d, d)
    assert [(instant(s), instant(e)) for s, e in found] == [
        (instant(iso(s)), instant(iso(e))) for s, e in expected
    ]
    total = sum((iso(e) - iso(s) for s, e in expected), timedelta(0))
    midnight = iso(f"{day}T00:00:00+00:00").replace(tzinfo=NY)
    next_midnight = (midnight + timedelta(days=1)).replace(tzinfo=NY)
    assert cal.elapsed(midnight, next_midnight) == total
    start, end = midnight - timedelta(hours=30), next_midnight + timedelta(hours=30)
    ref = NaiveCalendar("America/New_York", [[hours]] * 7)
    assert cal.elapsed(start, end) == ref.elapsed(start, end)


@pytest.mark.parametrize(
    "hours", [(60, 240), (150, 300), (60, 150), (135, 165), (120, 180), (150, 195)]
)
def test_gap_windows_keep_the_calendar_consistent(hours: tuple[int, int]) -> None:
    cal = daily("America/New_York", hours)
    ref = NaiveCalendar("America/New_York", [[hours]] * 7)
    t = iso("2026-03-06T22:00:00-05:00")
    while t < iso("2026-03-10T06:00:00-04:00"):
        assert cal.is_open(t) is ref.is_open(t), t
        opening = cal.next_open(t)
        assert cal.is_open(opening), (t, opening)
        assert instant(opening) == instant(ref.add(t, timedelta(0))), t
        for minutes in (1, 29, 30, 31, 90, 179, 180, 181, 600):
            due = cal.add(t, timedelta(minutes=minutes))
            assert instant(due) == instant(ref.add(t, timedelta(minutes=minutes))), (t, minutes)
            assert cal.elapsed(t, due) == timedelta(minutes=minutes)
        for hours_later in (1, 3, 7, 24, 49):
            end = t + timedelta(hours=hours_later)
            assert cal.elapsed(t, end) >= timedelta(0)
            assert cal.elapsed(t, end) == ref.elapsed(t, end), (t, hours_later)
        t += timedelta(minutes=15)


def test_add_through_the_spring_forward_night() -> None:
    cal = daily("America/New_York", (60, 240))
    assert cal.is_open(iso("2026-03-08T01:59:59-05:00"))
    assert cal.is_open(iso("2026-03-08T03:00:00-04:00"))  # the instant right after 01:59:59.999999
    same_instant_in_zone(
        cal.add(iso("2026-03-08T01:00:00-05:00"), dur("90 min")),
        iso("2026-03-08T03:30:00-04:00"),
        NY,
    )
    same_instant_in_zone(
        cal.add(iso("2026-11-01T01:00:00-04:00"), dur("90 min")),
        iso("2026-11-01T01:30:00-05:00"),
        NY,
    )


# ------------------------------------------------------ Mexico City until 30 October 2022


def test_mexico_city_july_2022_opens_at_14z_and_july_2023_at_15z() -> None:
    cal = default_policy().calendar
    july_2022 = cal.next_open(iso("2022-07-15T08:00:00-05:00"))  # a Friday, UTC-5 (summer time)
    same_instant_in_zone(july_2022, iso("2022-07-15T14:00:00+00:00"))
    assert july_2022.isoformat() == "2022-07-15T09:00:00-05:00"
    july_2023 = cal.next_open(iso("2023-07-14T08:00:00-06:00"))  # a Friday, UTC-6 all year
    same_instant_in_zone(july_2023, iso("2023-07-14T15:00:00+00:00"))
    assert july_2023.isoformat() == "2023-07-14T09:00:00-06:00"


MX_2022 = [
    ("2022-07-15T13:59:59+00:00", False),
    ("2022-07-15T14:00:00+00:00", True),
    ("2022-07-15T22:59:59+00:00", True),
    ("2022-07-15T23:00:00+00:00", False),
    ("2023-07-14T14:59:59+00:00", False),
    ("2023-07-14T15:00:00+00:00", True),
    ("2023-07-14T23:59:59+00:00", True),
    ("2023-07-15T00:00:00+00:00", False),
    ("2022-10-28T14:00:00+00:00", True),  # Friday, still UTC-5
    ("2022-10-31T14:30:00+00:00", False),  # Monday 08:30, now UTC-6
    ("2022-10-31T15:00:00+00:00", True),
]


@pytest.mark.parametrize(("at", "expected"), MX_2022)
def test_mexico_city_2022_is_open_in_utc(at: str, expected: bool) -> None:
    assert default_policy().calendar.is_open(iso(at)) is expected


MX_2022_ADD = [
    ("2022-10-28T17:00:00-05:00", "2 bh", "2022-10-31T10:00:00-06:00"),
    ("2022-10-28T09:00:00-05:00", "2 bd", "2022-10-31T18:00:00-06:00"),
    ("2022-10-28T18:00:00-05:00", "0 bh", "2022-10-31T09:00:00-06:00"),
    ("2022-04-01T17:00:00-06:00", "2 bh", "2022-04-04T10:00:00-05:00"),  # spring forward, 3 Apr
    ("1996-07-05T17:00:00-05:00", "2 bh", "1996-07-08T10:00:00-05:00"),  # older summer time
]


@pytest.mark.parametrize(("start", "duration", "due"), MX_2022_ADD)
def test_mexico_city_2022_add(start: str, duration: str, due: str) -> None:
    for cal in (default_policy().calendar, BusinessCalendar(default_policy().calendar_spec)):
        same_instant_in_zone(cal.add(iso(start), dur(duration)), iso(due))


def test_mexico_city_2022_elapsed_and_windows() -> None:
    cal = default_policy().calendar
    assert cal.elapsed(iso("2022-10-28T09:00:00-05:00"), iso("2022-10-31T18:00:00-06:00")) == (
        timedelta(hours=18)
    )
    # Friday 14:00Z to Monday 15:00Z is 73 h of wall time and exactly Friday's 9 business hours
    assert cal.elapsed(iso("2022-10-28T14:00:00+00:00"), iso("2022-10-31T15:00:00+00:00")) == (
        timedelta(hours=9)
    )
    found = cal.windows(date(2022, 10, 28), date(2022, 10, 31))
    assert [(s.isoformat(), e.isoformat()) for s, e in found] == [
        ("2022-10-28T09:00:00-05:00", "2022-10-28T18:00:00-05:00"),
        ("2022-10-31T09:00:00-06:00", "2022-10-31T18:00:00-06:00"),
    ]
    assert to_micros(found[1][0]) - to_micros(found[0][0]) == (3 * 24 + 1) * 3600 * 10**6
