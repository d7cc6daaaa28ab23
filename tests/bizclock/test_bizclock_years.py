"""Any year: the calendar extends lazily in both directions, and answers never depend on
which years happened to be built first.

Mexico City's offset follows the zone's history: local mean time (-06:36:36) until 1922, summer
time in some years (1950: -05:00 in June), -06:00 all year since Oct 2022 and in the future.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bizclock_support import dur, instant, iso, mexico_reference, same_instant_in_zone

from soporte.bizclock import BusinessCalendar, to_micros
from soporte.policy import default_policy


def fresh() -> BusinessCalendar:
    return BusinessCalendar(default_policy().calendar_spec)


FAR = [
    # 1 Jan 1900 was a Monday and a holiday; Tue 2 Jan opens at 09:00 local mean time
    ("1900-01-01T12:00:00-06:36:36", "1 bh", "1900-01-02T10:00:00-06:36:36"),
    ("1900-01-02T17:30:00-06:36:36", "1 bh", "1900-01-03T09:30:00-06:36:36"),
    ("1950-06-02T17:30:00-05:00", "1 bh", "1950-06-05T09:30:00-05:00"),  # Fri -> Mon, summer time
    ("2200-01-01T12:00:00-06:00", "0 bh", "2200-01-02T09:00:00-06:00"),  # Wed holiday -> Thu
    ("2200-04-03T17:00:00-06:00", "2 bh", "2200-04-07T10:00:00-06:00"),  # Good Friday 4 Apr 2200
    ("2999-12-30T17:00:00-06:00", "2 bh", "3000-01-02T10:00:00-06:00"),  # Mon; 31 Dec, 1 Jan
    ("3000-01-03T17:00:00-06:00", "2 bh", "3000-01-06T10:00:00-06:00"),  # Fri -> Mon 6 Jan
]


@pytest.mark.parametrize(("start", "duration", "due"), FAR)
def test_far_years(start: str, duration: str, due: str) -> None:
    cal = fresh()
    same_instant_in_zone(cal.add(iso(start), dur(duration)), iso(due))
    if dur(duration):
        assert cal.elapsed(iso(start), iso(due)) == dur(duration)


def test_far_years_weekdays_as_written() -> None:
    assert date(1900, 1, 1).strftime("%a") == "Mon"
    assert date(1950, 6, 2).strftime("%a") == "Fri"
    assert date(2200, 1, 1).strftime("%a") == "Wed"
    assert date(2200, 4, 4).strftime("%a") == "Fri"
    assert date(2999, 12, 30).strftime("%a") == "Mon"
    assert date(3000, 1, 1).strftime("%a") == "Wed"
    assert date(3000, 1, 3).strftime("%a") == "Fri"


def test_year_3000_and_1900_on_one_calendar() -> None:
    cal = fresh()
    assert cal.is_open(iso("2026-11-30T12:00:00-06:00"))
    assert cal.is_open(iso("3000-01-03T12:00:00-06:00"))  # extends forward ~1000 years
    assert not cal.is_open(iso("3000-01-01T12:00:00-06:00"))
    assert cal.is_open(iso("1900-01-02T12:00:00-06:36:36"))  # and back
    assert not cal.is_open(iso("1900-01-01T12:00:00-06:36:36"))
    assert cal.windows(date(3000, 1, 1), date(3000, 1, 5)) == [
        (iso("3000-01-02T09:00:00-06:00"), iso("3000-01-02T18:00:00-06:00")),
        (iso("3000-01-03T09:00:00-06:00"), iso("3000-01-03T18:00:00-06:00")),
    ]


# A calendar first used in 2026, then asked about 1950, answers as a fresh one asked about 1950.

PROBES_1950 = [
    "1950-01-02T08:59:59-06:00",
    "1950-04-07T12:00:00-05:00",  # Good Friday 1950 (summer time 12 Feb - 30 Jul 1950)
    "1950-06-05T09:00:00-05:00",
    "1950-06-05T17:59:59.999999-05:00",
    "1950-09-15T18:00:00-06:00",
    "1950-12-29T17:00:00-06:00",
]


def answers(cal: BusinessCalendar) -> list[object]:
    out: list[object] = []
    for text in PROBES_1950:
        t = iso(text)
        out.append(cal.is_open(t))
        out.append(to_micros(cal.next_open(t)))
        for hours in (0, 1, 9, 100, 2000):
            out.append(to_micros(cal.add(t, timedelta(hours=hours, microseconds=7))))
        out.append(cal.elapsed(t, t + timedelta(days=40)))
        out.append(to_micros(cal.close_of_business_day(t)))
        out.append([(p.starts, p.ends) for p in cal.closed_periods(t, t + timedelta(days=5))])
    out.append(cal.windows(date(1950, 3, 1), date(1950, 4, 30)))
    out.append([h.day for h in cal.holidays(date(1950, 1, 1), date(1950, 12, 31))])
    return out


def test_built_in_2026_then_queried_in_1950_matches_fresh() -> None:
    used = fresh()
    used.add(iso("2026-11-27T17:40:00-06:00"), dur("1 bh"))
    used.elapsed(iso("2026-01-01T00:00:00-06:00"), iso("2027-01-01T00:00:00-06:00"))
    cold = fresh()
    assert answers(used) == answers(cold)
    # and the 2026 answers did not move either
    same_instant_in_zone(
        used.add(iso("2026-11-27T17:40:00-06:00"), dur("1 bh")), iso("2026-11-30T09:40:00-06:00")
    )
    assert used.elapsed(
        iso("2026-01-01T00:00:00-06:00"), iso("2027-01-01T00:00:00-06:00")
    ) == timedelta(hours=2277)


def test_elapsed_between_1950_and_2026_after_building_in_pieces() -> None:
    """Extending backwards renumbers the prefix sums; elapsed across the seam is still exact."""
    pieces = fresh()
    pieces.is_open(iso("2026-06-01T12:00:00-06:00"))
    pieces.is_open(iso("1990-06-01T12:00:00-06:00"))
    pieces.is_open(iso("1950-06-01T12:00:00-06:00"))
    a, b = iso("1950-03-01T10:00:00-05:00"), iso("2026-03-01T10:00:00-06:00")
    expected = fresh().elapsed(a, b)
    assert pieces.elapsed(a, b) == expected
    assert pieces.elapsed(a, b) == mexico_reference().elapsed(a, b)
    due = pieces.add(a, expected)
    assert instant(due) == instant(mexico_reference().add(a, expected))


def test_explicit_build_changes_no_answer() -> None:
    built = fresh()
    built.build(1940, 1960)
    assert answers(built) == answers(fresh())


def test_outside_the_supported_years_fails_clearly() -> None:
    cal = fresh()
    with pytest.raises(ValueError, match="years"):
        cal.add(iso("9998-12-01T12:00:00-06:00"), timedelta(days=10_000))
