"""Opening and closing instants, zero and huge targets, the turn of the year, errors.

Every case is written as ISO strings in Mexico City local time (-06:00 since Oct 2022), so a
reviewer can check it against a wall calendar. Business hours are Mon-Fri [09:00, 18:00).
Handy anchors: 2026-11-27 is a Friday, 2026-11-30 a Monday; 2026-11-20 (Fri) is Revolution Day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from bizclock_support import MX, dur, instant, iso, mexico_reference, same_instant_in_zone

from soporte.bizclock import BusinessCalendar, WallClock, from_micros, to_micros
from soporte.policy import default_policy


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return default_policy().calendar


# ------------------------------------------------------------------ is_open / next_open

IS_OPEN = [
    ("2026-11-30T08:59:59-06:00", False),
    ("2026-11-30T08:59:59.999999-06:00", False),
    ("2026-11-30T09:00:00-06:00", True),
    ("2026-11-30T12:00:00-06:00", True),
    ("2026-11-30T17:59:59-06:00", True),
    ("2026-11-30T17:59:59.999999-06:00", True),
    ("2026-11-30T18:00:00-06:00", False),
    ("2026-11-30T23:59:59-06:00", False),
    ("2026-11-28T12:00:00-06:00", False),  # Saturday
    ("2026-11-29T12:00:00-06:00", False),  # Sunday
    ("2026-11-20T12:00:00-06:00", False),  # Revolution Day (Friday)
    ("2026-11-30T15:00:00+00:00", True),  # 09:00 local, given in UTC
    ("2026-11-30T14:59:59+00:00", False),
]


@pytest.mark.parametrize(("at", "expected"), IS_OPEN)
def test_is_open(cal: BusinessCalendar, at: str, expected: bool) -> None:
    assert cal.is_open(iso(at)) is expected


NEXT_OPEN = [
    ("2026-11-30T08:59:59-06:00", "2026-11-30T09:00:00-06:00"),
    ("2026-11-30T09:00:00-06:00", "2026-11-30T09:00:00-06:00"),  # open: itself
    ("2026-11-30T17:59:59-06:00", "2026-11-30T17:59:59-06:00"),
    ("2026-11-30T17:59:59.999999-06:00", "2026-11-30T17:59:59.999999-06:00"),
    ("2026-11-30T18:00:00-06:00", "2026-12-01T09:00:00-06:00"),  # close is closed
    ("2026-11-27T18:00:00-06:00", "2026-11-30T09:00:00-06:00"),  # Friday close -> Monday
    ("2026-11-28T03:00:00-06:00", "2026-11-30T09:00:00-06:00"),  # Saturday night
    ("2026-11-19T18:00:00-06:00", "2026-11-23T09:00:00-06:00"),  # Thu, then holiday Friday
    ("2026-12-30T18:00:00-06:00", "2027-01-04T09:00:00-06:00"),  # 31 Dec, 1 Jan, weekend
    ("2026-11-30T14:59:59+00:00", "2026-11-30T09:00:00-06:00"),  # UTC in, local out
]


@pytest.mark.parametrize(("at", "expected"), NEXT_OPEN)
def test_next_open(cal: BusinessCalendar, at: str, expected: str) -> None:
    same_instant_in_zone(cal.next_open(iso(at)), iso(expected))


# ----------------------------------------------------------------------------- add

ADD = [
    # opening and closing instants
    ("2026-11-30T08:59:59-06:00", "1 bh", "2026-11-30T10:00:00-06:00"),  # starts at 09:00
    ("2026-11-30T09:00:00-06:00", "1 bh", "2026-11-30T10:00:00-06:00"),
    ("2026-11-30T17:59:59-06:00", "1 s", "2026-11-30T18:00:00-06:00"),  # lands on the close
    ("2026-11-30T17:59:59-06:00", "2 s", "2026-12-01T09:00:01-06:00"),
    ("2026-11-30T18:00:00-06:00", "1 bh", "2026-12-01T10:00:00-06:00"),  # starts next opening
    ("2026-11-30T18:00:00-06:00", "1 s", "2026-12-01T09:00:01-06:00"),
    # landing exactly on a close stays there
    ("2026-11-30T09:00:00-06:00", "9 bh", "2026-11-30T18:00:00-06:00"),
    ("2026-11-30T09:00:00-06:00", "1 bd", "2026-11-30T18:00:00-06:00"),
    ("2026-11-30T08:00:00-06:00", "1 bd", "2026-11-30T18:00:00-06:00"),
    ("2026-11-27T09:00:00-06:00", "9 bh", "2026-11-27T18:00:00-06:00"),  # Friday, not Monday
    ("2026-11-30T09:00:00-06:00", "18 bh", "2026-12-01T18:00:00-06:00"),
    # across nights, weekends and holidays
    ("2026-11-27T17:40:00-06:00", "1 bh", "2026-11-30T09:40:00-06:00"),
    ("2026-11-27T17:00:00-06:00", "1 bd", "2026-11-30T17:00:00-06:00"),  # Starter P1, Fri 17:00
    ("2026-11-27T17:00:00-06:00", "1 bh", "2026-11-27T18:00:00-06:00"),
    ("2026-11-28T12:00:00-06:00", "1 bh", "2026-11-30T10:00:00-06:00"),  # opened Saturday
    ("2026-11-19T17:00:00-06:00", "2 bh", "2026-11-23T10:00:00-06:00"),  # skips Revolution Day
    ("2026-11-30T12:00:00-06:00", "45 bh", "2026-12-07T12:00:00-06:00"),  # 5 bd = one week
    ("2026-11-30T12:00:00-06:00", "5 bd", "2026-12-07T12:00:00-06:00"),
    # 30-31 Dec into January and a weekend (31 Dec and 1 Jan are holidays)
    ("2026-12-30T15:00:00-06:00", "3 bh", "2026-12-30T18:00:00-06:00"),
    ("2026-12-30T17:00:00-06:00", "2 bh", "2027-01-04T10:00:00-06:00"),  # Thu 31, Fri 1, weekend
    ("2026-12-29T17:00:00-06:00", "1 bd", "2026-12-30T17:00:00-06:00"),
    ("2026-12-29T17:00:00-06:00", "2 bd", "2027-01-04T17:00:00-06:00"),
    ("2025-12-30T17:00:00-06:00", "2 bh", "2026-01-02T10:00:00-06:00"),  # Wed 31, Thu 1, Fri 2
    ("2027-12-30T17:00:00-06:00", "2 bh", "2028-01-03T10:00:00-06:00"),  # Fri 31, Sat 1 -> Mon 3
    ("2028-12-29T17:00:00-06:00", "2 bh", "2029-01-02T10:00:00-06:00"),  # Sun 31, Mon 1 -> Tue 2
    # sub-second precision
    ("2026-11-30T18:00:00-06:00", "0.000001 s", "2026-12-01T09:00:00.000001-06:00"),
    ("2026-11-30T17:59:59.999999-06:00", "0.000001 s", "2026-11-30T18:00:00-06:00"),
    ("2026-11-30T17:59:59.999999-06:00", "0.000002 s", "2026-12-01T09:00:00.000001-06:00"),
    ("2026-11-30T09:00:00-06:00", "90 min", "2026-11-30T10:30:00-06:00"),
    # a start given in another zone means the same instant; the due time is in local time
    ("2026-11-27T23:40:00+00:00", "1 bh", "2026-11-30T09:40:00-06:00"),
    ("2026-11-28T00:40:00+01:00", "1 bh", "2026-11-30T09:40:00-06:00"),
]


@pytest.mark.parametrize(("start", "duration", "due"), ADD)
def test_add(cal: BusinessCalendar, start: str, duration: str, due: str) -> None:
    same_instant_in_zone(cal.add(iso(start), dur(duration)), iso(due))


@pytest.mark.parametrize(("start", "duration", "due"), ADD)
def test_add_is_inverse_of_elapsed(
    cal: BusinessCalendar, start: str, duration: str, due: str
) -> None:
    assert cal.elapsed(iso(start), iso(due)) == dur(duration)


ZERO = [
    ("2026-11-30T12:00:00-06:00", "2026-11-30T12:00:00-06:00"),  # open: stays put
    ("2026-11-30T09:00:00-06:00", "2026-11-30T09:00:00-06:00"),
    ("2026-11-30T17:59:59.999999-06:00", "2026-11-30T17:59:59.999999-06:00"),
    ("2026-11-30T08:59:59-06:00", "2026-11-30T09:00:00-06:00"),  # closed: next opening
    ("2026-11-30T18:00:00-06:00", "2026-12-01T09:00:00-06:00"),
    ("2026-11-28T12:00:00-06:00", "2026-11-30T09:00:00-06:00"),
    ("2026-12-30T18:00:00-06:00", "2027-01-04T09:00:00-06:00"),
]


@pytest.mark.parametrize(("start", "due"), ZERO)
def test_zero_target_rolls_forward_to_next_opening(
    cal: BusinessCalendar, start: str, due: str
) -> None:
    same_instant_in_zone(cal.add(iso(start), timedelta(0)), iso(due))
    same_instant_in_zone(cal.add(iso(start), dur("0 bh")), iso(due))
    assert cal.add(iso(start), timedelta(0)) == cal.next_open(iso(start))


def test_one_bd_is_nine_bh() -> None:
    assert dur("1 bd") == timedelta(hours=9) == dur("9 bh")
    assert dur("2 bd") == timedelta(hours=18)
    assert dur("5 bd") == timedelta(hours=45)
    assert default_policy().business_day == timedelta(hours=9)


# -------------------------------------------------------------------------- elapsed

ELAPSED = [
    ("2026-11-30T08:59:59-06:00", "2026-11-30T09:00:00-06:00", timedelta(0)),
    ("2026-11-30T08:59:59-06:00", "2026-11-30T09:00:01-06:00", timedelta(seconds=1)),
    ("2026-11-30T09:00:00-06:00", "2026-11-30T09:00:01-06:00", timedelta(seconds=1)),
    ("2026-11-30T17:59:59-06:00", "2026-11-30T18:00:00-06:00", timedelta(seconds=1)),
    ("2026-11-30T17:59:59-06:00", "2026-12-01T09:00:00-06:00", timedelta(seconds=1)),
    ("2026-11-30T18:00:00-06:00", "2026-12-01T09:00:00-06:00", timedelta(0)),
    ("2026-11-30T18:00:00-06:00", "2026-12-01T09:00:00.000001-06:00", timedelta(microseconds=1)),
    ("2026-11-30T09:00:00-06:00", "2026-11-30T18:00:00-06:00", timedelta(hours=9)),
    ("2026-11-30T00:00:00-06:00", "2026-12-01T00:00:00-06:00", timedelta(hours=9)),
    ("2026-11-27T17:00:00-06:00", "2026-11-30T17:00:00-06:00", timedelta(hours=9)),
    ("2026-11-28T00:00:00-06:00", "2026-11-30T00:00:00-06:00", timedelta(0)),  # weekend
    ("2026-11-19T09:00:00-06:00", "2026-11-23T09:00:00-06:00", timedelta(hours=9)),  # holiday Fri
    ("2026-11-30T00:00:00-06:00", "2026-12-07T00:00:00-06:00", timedelta(hours=45)),  # a week
    # 23, 24, 28, 29, 30 Dec and 4 Jan: six business days
    ("2026-12-23T09:00:00-06:00", "2027-01-05T09:00:00-06:00", timedelta(hours=54)),
    # 2026: 261 weekdays, 8 of them holidays (21 Mar is a Saturday) -> 253 days of 9 h
    ("2026-01-01T00:00:00-06:00", "2027-01-01T00:00:00-06:00", timedelta(hours=2277)),
    # reversed or empty: zero
    ("2026-11-30T12:00:00-06:00", "2026-11-30T12:00:00-06:00", timedelta(0)),
    ("2026-11-30T13:00:00-06:00", "2026-11-30T12:00:00-06:00", timedelta(0)),
    ("2026-12-07T00:00:00-06:00", "2026-11-30T00:00:00-06:00", timedelta(0)),
    # mixed zones
    ("2026-11-30T15:00:00+00:00", "2026-11-30T18:00:00-06:00", timedelta(hours=9)),
]


@pytest.mark.parametrize(("start", "end", "expected"), ELAPSED)
def test_elapsed(cal: BusinessCalendar, start: str, end: str, expected: timedelta) -> None:
    assert cal.elapsed(iso(start), iso(end)) == expected


def test_elapsed_of_2026_matches_the_naive_reference(cal: BusinessCalendar) -> None:
    start, end = iso("2026-01-01T00:00:00-06:00"), iso("2027-01-01T00:00:00-06:00")
    assert cal.elapsed(start, end) == mexico_reference().elapsed(start, end)


def test_ticket_opened_at_close_accrues_from_next_opening(cal: BusinessCalendar) -> None:
    opened = iso("2026-11-30T18:00:00-06:00")
    assert cal.elapsed(opened, iso("2026-12-01T09:00:00-06:00")) == timedelta(0)
    assert cal.elapsed(opened, iso("2026-12-01T09:30:00-06:00")) == timedelta(minutes=30)
    early = iso("2026-11-30T08:59:59-06:00")
    assert cal.elapsed(early, iso("2026-11-30T09:30:00-06:00")) == timedelta(minutes=30)


# --------------------------------------------------------------------- huge targets

HUGE = [
    ("2026-01-05T09:00:00-06:00", timedelta(hours=100_000)),
    ("2026-11-27T17:40:00-06:00", timedelta(hours=100_000)),
    ("2026-01-01T00:00:00-06:00", timedelta(days=3650)),  # ten years of round-the-clock time
    ("2026-01-01T00:00:00-06:00", timedelta(hours=9 * 253 * 10)),  # about ten calendar years
    ("1999-12-31T23:59:59.999999-06:00", timedelta(hours=12_345, microseconds=678_901)),
]


@pytest.mark.parametrize(("start", "duration"), HUGE)
def test_huge_targets_consistent_with_elapsed(start: str, duration: timedelta) -> None:
    cal = BusinessCalendar(default_policy().calendar_spec)  # fresh: must extend on its own
    due = cal.add(iso(start), duration)
    assert cal.elapsed(iso(start), due) == duration
    assert cal.elapsed(iso(start), due - timedelta(microseconds=1)) < duration
    assert cal.is_open(due - timedelta(microseconds=1))


def test_huge_target_agrees_with_naive_walk() -> None:
    start, duration = iso("2026-01-05T09:00:00-06:00"), timedelta(hours=100_000)
    due = BusinessCalendar(default_policy().calendar_spec).add(start, duration)
    assert instant(due) == instant(mexico_reference().add(start, duration))
    assert due.year in range(2069, 2072)  # ~11,100 business days of 9 h, ~253 a year


# ----------------------------------------------------------------------------- errors

NAIVE = datetime(2026, 11, 30, 12, 0)  # noqa: DTZ001 - the point of these tests
AWARE = iso("2026-11-30T12:00:00-06:00")


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_open(NAIVE),
        lambda c: c.next_open(NAIVE),
        lambda c: c.add(NAIVE, timedelta(hours=1)),
        lambda c: c.add(NAIVE, timedelta(0)),
        lambda c: c.elapsed(NAIVE, AWARE),
        lambda c: c.elapsed(AWARE, NAIVE),
        lambda c: c.close_of_business_day(NAIVE),
        lambda c: c.closed_periods(NAIVE, AWARE),
        lambda c: c.add_many([NAIVE], [timedelta(hours=1)]),
        lambda c: WallClock(MX).add(NAIVE, timedelta(minutes=15)),
        lambda c: WallClock(MX).elapsed(NAIVE, AWARE),
        lambda c: to_micros(NAIVE),
    ],
    ids=[
        "is_open",
        "next_open",
        "add",
        "add-zero",
        "elapsed-start",
        "elapsed-end",
        "close_of_business_day",
        "closed_periods",
        "add_many",
        "wall-add",
        "wall-elapsed",
        "to_micros",
    ],
)
def test_naive_datetimes_are_refused_with_a_clear_message(cal: BusinessCalendar, call) -> None:
    with pytest.raises(ValueError, match="no time zone") as info:
        call(cal)
    assert "2026, 11, 30, 12, 0" in str(info.value)  # names the offending value


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add(AWARE, timedelta(microseconds=-1)),
        lambda c: c.add(AWARE, -timedelta(hours=1)),
        lambda c: c.add_many([to_micros(AWARE)], [-1]),
        lambda c: c.add_many([to_micros(AWARE)] * 3, [0, 5, -5]),
        lambda c: WallClock(MX).add(AWARE, -timedelta(minutes=1)),
    ],
    ids=["add-1us", "add-1h", "add_many", "add_many-mixed", "wall"],
)
def test_negative_durations_are_refused(cal: BusinessCalendar, call) -> None:
    with pytest.raises(ValueError, match="negative"):
        call(cal)


def test_wall_clock_elapsed_reversed_is_zero() -> None:
    wall = WallClock(MX)
    assert wall.elapsed(iso("2026-11-30T12:00:00-06:00"), iso("2026-11-30T11:00:00-06:00")) == (
        timedelta(0)
    )


def test_micros_round_trip() -> None:
    for text in (
        "1970-01-01T00:00:00+00:00",
        "1969-12-31T23:59:59.999999+00:00",
        "1900-01-01T09:00:00.000001-06:36:36",
        "2026-11-30T09:00:00.5-06:00",
        "3000-01-03T09:00:00-06:00",
    ):
        t = iso(text)
        assert from_micros(to_micros(t), MX) == t
        assert from_micros(to_micros(t)).tzinfo is UTC
    assert to_micros(iso("1970-01-01T00:00:01+00:00")) == 1_000_000
    assert to_micros(datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=-6)))) == 6 * 3600 * 10**6
