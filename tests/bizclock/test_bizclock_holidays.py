"""Holidays (the SUPPORT.md list, Good Friday 1900-2200, rule-based dates) and one-off closures."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta

import pytest
from bizclock_support import (
    MX,
    ONE_DAY,
    NaiveCalendar,
    dur,
    good_friday,
    instant,
    iso,
    mexican_holidays,
    nth_weekday,
    same_instant_in_zone,
)

from soporte.bizclock import (
    BusinessCalendar,
    CalendarSpec,
    Closure,
    EasterOffset,
    FixedDate,
    NthWeekday,
    Window,
    from_micros,
)
from soporte.policy import default_policy

NINE_TO_SIX = (Window(9 * 60, 18 * 60),)
MON_FRI = (NINE_TO_SIX,) * 5 + ((), ())


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return default_policy().calendar


def local(text: str) -> datetime:
    """A naive local time (for closures, which are written in the calendar's zone)."""
    return datetime.fromisoformat(text)


# --------------------------------------------------------- every holiday and its eve, 2025-2028

# (holiday, its weekday, the eve, eve is a business day, last business day before 17:00,
#  first business day after 10:00): 17:00 + 2 bh on the business day before lands at 10:00 on
#  the first business day after, whatever the holiday falls on. Times are local (-06:00).
HOLIDAYS = [
    ("2025-01-01", "Wed", "2024-12-31", False, "2024-12-30T17:00", "2025-01-02T10:00"),
    ("2025-02-05", "Wed", "2025-02-04", True, "2025-02-04T17:00", "2025-02-06T10:00"),
    ("2025-03-21", "Fri", "2025-03-20", True, "2025-03-20T17:00", "2025-03-24T10:00"),
    ("2025-04-18", "Fri", "2025-04-17", True, "2025-04-17T17:00", "2025-04-21T10:00"),
    ("2025-05-01", "Thu", "2025-04-30", True, "2025-04-30T17:00", "2025-05-02T10:00"),
    ("2025-09-16", "Tue", "2025-09-15", True, "2025-09-15T17:00", "2025-09-17T10:00"),
    ("2025-11-20", "Thu", "2025-11-19", True, "2025-11-19T17:00", "2025-11-21T10:00"),
    ("2025-12-25", "Thu", "2025-12-24", True, "2025-12-24T17:00", "2025-12-26T10:00"),
    ("2025-12-31", "Wed", "2025-12-30", True, "2025-12-30T17:00", "2026-01-02T10:00"),
    ("2026-01-01", "Thu", "2025-12-31", False, "2025-12-30T17:00", "2026-01-02T10:00"),
    ("2026-02-05", "Thu", "2026-02-04", True, "2026-02-04T17:00", "2026-02-06T10:00"),
    ("2026-03-21", "Sat", "2026-03-20", True, "2026-03-20T17:00", "2026-03-23T10:00"),
    ("2026-04-03", "Fri", "2026-04-02", True, "2026-04-02T17:00", "2026-04-06T10:00"),
    ("2026-05-01", "Fri", "2026-04-30", True, "2026-04-30T17:00", "2026-05-04T10:00"),
    ("2026-09-16", "Wed", "2026-09-15", True, "2026-09-15T17:00", "2026-09-17T10:00"),
    ("2026-11-20", "Fri", "2026-11-19", True, "2026-11-19T17:00", "2026-11-23T10:00"),
    ("2026-12-25", "Fri", "2026-12-24", True, "2026-12-24T17:00", "2026-12-28T10:00"),
    ("2026-12-31", "Thu", "2026-12-30", True, "2026-12-30T17:00", "2027-01-04T10:00"),
    ("2027-01-01", "Fri", "2026-12-31", False, "2026-12-30T17:00", "2027-01-04T10:00"),
    ("2027-02-05", "Fri", "2027-02-04", True, "2027-02-04T17:00", "2027-02-08T10:00"),
    ("2027-03-21", "Sun", "2027-03-20", False, "2027-03-19T17:00", "2027-03-22T10:00"),
    ("2027-03-26", "Fri", "2027-03-25", True, "2027-03-25T17:00", "2027-03-29T10:00"),
    ("2027-05-01", "Sat", "2027-04-30", True, "2027-04-30T17:00", "2027-05-03T10:00"),
    ("2027-09-16", "Thu", "2027-09-15", True, "2027-09-15T17:00", "2027-09-17T10:00"),
    ("2027-11-20", "Sat", "2027-11-19", True, "2027-11-19T17:00", "2027-11-22T10:00"),
    ("2027-12-25", "Sat", "2027-12-24", True, "2027-12-24T17:00", "2027-12-27T10:00"),
    ("2027-12-31", "Fri", "2027-12-30", True, "2027-12-30T17:00", "2028-01-03T10:00"),
    ("2028-01-01", "Sat", "2027-12-31", False, "2027-12-30T17:00", "2028-01-03T10:00"),
    ("2028-02-05", "Sat", "2028-02-04", True, "2028-02-04T17:00", "2028-02-07T10:00"),
    ("2028-03-21", "Tue", "2028-03-20", True, "2028-03-20T17:00", "2028-03-22T10:00"),
    ("2028-04-14", "Fri", "2028-04-13", True, "2028-04-13T17:00", "2028-04-17T10:00"),
    ("2028-05-01", "Mon", "2028-04-30", False, "2028-04-28T17:00", "2028-05-02T10:00"),
    ("2028-09-16", "Sat", "2028-09-15", True, "2028-09-15T17:00", "2028-09-18T10:00"),
    ("2028-11-20", "Mon", "2028-11-19", False, "2028-11-17T17:00", "2028-11-21T10:00"),
    ("2028-12-25", "Mon", "2028-12-24", False, "2028-12-22T17:00", "2028-12-26T10:00"),
    ("2028-12-31", "Sun", "2028-12-30", False, "2028-12-29T17:00", "2029-01-02T10:00"),
]  # fmt: skip

ENGLISH_NAMES = {
    (1, 1): "New Year's Day",
    (2, 5): "Constitution Day",
    (3, 21): "Benito Juárez Day",
    (5, 1): "Labour Day",
    (9, 16): "Independence Day",
    (11, 20): "Revolution Day",
    (12, 25): "Christmas Day",
    (12, 31): "New Year's Eve",
}


def test_holiday_table_is_the_list_of_support_md() -> None:
    listed = {date.fromisoformat(row[0]) for row in HOLIDAYS}
    expected = set().union(*(mexican_holidays(y) for y in range(2025, 2029)))
    assert listed == expected
    for day, weekday, eve, *_ in HOLIDAYS:
        assert date.fromisoformat(day).strftime("%a") == weekday
        assert date.fromisoformat(eve) == date.fromisoformat(day) - ONE_DAY


@pytest.mark.parametrize(("day", "weekday", "eve", "eve_open", "before", "after"), HOLIDAYS)
def test_holiday_closed_all_day_and_eve_open(
    cal: BusinessCalendar, day: str, weekday: str, eve: str, eve_open: bool, before: str, after: str
) -> None:
    for clock in ("00:00:00", "08:59:59", "09:00:00", "12:00:00", "17:59:59", "23:59:59"):
        assert not cal.is_open(iso(f"{day}T{clock}-06:00")), clock
    assert cal.elapsed(iso(f"{day}T00:00:00-06:00"), iso(f"{day}T23:59:59.999999-06:00")) == (
        timedelta(0)
    )
    assert cal.windows(date.fromisoformat(day), date.fromisoformat(day)) == []
    for clock in ("09:00:00", "12:00:00", "17:59:59"):
        assert cal.is_open(iso(f"{eve}T{clock}-06:00")) is eve_open, clock
    expected_eve = timedelta(hours=9) if eve_open else timedelta(0)
    assert cal.elapsed(iso(f"{eve}T00:00:00-06:00"), iso(f"{day}T00:00:00-06:00")) == expected_eve


@pytest.mark.parametrize(("day", "weekday", "eve", "eve_open", "before", "after"), HOLIDAYS)
def test_clock_running_across_a_holiday_skips_it(
    cal: BusinessCalendar, day: str, weekday: str, eve: str, eve_open: bool, before: str, after: str
) -> None:
    before_at, after_at = iso(f"{before}:00-06:00"), iso(f"{after}:00-06:00")
    same_instant_in_zone(cal.add(before_at, dur("2 bh")), after_at)
    assert cal.elapsed(before_at, after_at) == timedelta(hours=2)
    same_instant_in_zone(cal.next_open(iso(f"{day}T09:00:00-06:00")), after_at - timedelta(hours=1))


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_holidays_listed_with_their_names(cal: BusinessCalendar, year: int) -> None:
    found = cal.holidays(date(year, 1, 1), date(year, 12, 31))
    assert [h.day for h in found] == sorted(mexican_holidays(year))
    for h in found:
        assert h.closure is None
        if h.day == good_friday(year):
            assert h.names == {"es": "Viernes Santo", "en": "Good Friday"}
        else:
            assert h.names["en"] == ENGLISH_NAMES[(h.day.month, h.day.day)]
        assert h.names["es"]


def test_holidays_range_is_inclusive_and_clipped(cal: BusinessCalendar) -> None:
    found = cal.holidays(date(2026, 12, 25), date(2027, 1, 1))
    assert [h.day.isoformat() for h in found] == ["2026-12-25", "2026-12-31", "2027-01-01"]
    assert cal.holidays(date(2026, 12, 26), date(2026, 12, 30)) == []


# ---------------------------------------------------------------- Good Friday, 1900-2200

GOOD_FRIDAY_ANCHORS = [  # from published Easter tables: Easter Sunday minus two days
    ("1900-04-13", "Easter 15 Apr 1900"),
    ("1913-03-21", "Easter 23 Mar 1913: Good Friday is also Benito Juárez Day"),
    ("1943-04-23", "Easter 25 Apr 1943, the latest possible"),
    ("2000-04-21", "Easter 23 Apr 2000"),
    ("2008-03-21", "Easter 23 Mar 2008: Good Friday is also Benito Juárez Day"),
    ("2011-04-22", "Easter 24 Apr 2011"),
    ("2025-04-18", "Easter 20 Apr 2025"),
    ("2026-04-03", "Easter 5 Apr 2026"),
    ("2038-04-23", "Easter 25 Apr 2038"),
    ("2200-04-04", "Easter 6 Apr 2200 (the computus; also what dateutil says)"),
]


@pytest.mark.parametrize(("day", "why"), GOOD_FRIDAY_ANCHORS)
def test_meeus_computus_matches_published_dates(day: str, why: str) -> None:
    assert good_friday(date.fromisoformat(day).year) == date.fromisoformat(day), why


def test_good_friday_rule_matches_independent_computus_1900_2200() -> None:
    rule = EasterOffset({"en": "Good Friday"}, days=-2)
    for year in range(1900, 2201):
        assert rule.dates(year) == [good_friday(year)], year


@pytest.fixture(scope="module")
def wide_cal() -> BusinessCalendar:
    """A calendar of its own, built once for 1899-2201 (the shared one stays small)."""
    cal = BusinessCalendar(default_policy().calendar_spec)
    cal.build(1899, 2201)
    return cal


def test_good_friday_closed_and_maundy_thursday_open_1900_2200(wide_cal: BusinessCalendar) -> None:
    cal = wide_cal
    holidays = {h.day: h for h in cal.holidays(date(1900, 1, 1), date(2200, 12, 31))}
    open_days = {s.date() for s, _ in cal.windows(date(1900, 1, 1), date(2200, 12, 31))}
    assert len(open_days) > 300 * 240
    for year in range(1900, 2201):
        friday = good_friday(year)
        thursday = friday - ONE_DAY
        assert friday.weekday() == 4
        assert friday in holidays, year
        if friday != date(year, 3, 21):
            assert holidays[friday].names["en"] == "Good Friday", year
        assert friday not in open_days, year
        if thursday in mexican_holidays(year):  # 21 Mar on a Thursday
            assert thursday not in open_days, year
        else:
            assert thursday in open_days, year
    # the coincidences exist in the range, and the day stays closed under either name
    assert {y for y in range(1900, 2201) if good_friday(y) == date(y, 3, 21)} >= {1913, 2008}


def test_good_friday_closed_by_instant(wide_cal: BusinessCalendar) -> None:
    cal = wide_cal
    for year in (1900, 1913, 1950, 2000, 2008, 2026, 2100, 2200):
        friday = good_friday(year)
        noon = datetime.combine(friday, time(12), MX)
        assert not cal.is_open(noon), year
        thursday_noon = noon - ONE_DAY
        assert cal.is_open(thursday_noon) is (thursday_noon.date() not in mexican_holidays(year))


# ------------------------------------------------------------------- rule-based holidays

FIRST_MONDAY_OF_FEB = NthWeekday({"en": "Constitution Day (observed)"}, month=2, weekday=0, nth=1)
LAST_MONDAY_OF_MAY = NthWeekday({"en": "Last Monday of May"}, month=5, weekday=0, nth=-1)

RULES = [
    (FIRST_MONDAY_OF_FEB, 2026, ["2026-02-02"]),
    (FIRST_MONDAY_OF_FEB, 2027, ["2027-02-01"]),
    (FIRST_MONDAY_OF_FEB, 2028, ["2028-02-07"]),
    (LAST_MONDAY_OF_MAY, 2026, ["2026-05-25"]),
    (LAST_MONDAY_OF_MAY, 2027, ["2027-05-31"]),
    (LAST_MONDAY_OF_MAY, 2028, ["2028-05-29"]),
    # third Monday of November (Revolution Day as observed)
    (NthWeekday({"en": "x"}, month=11, weekday=0, nth=3), 2026, ["2026-11-16"]),
    # fifth Monday: March 2026 has one, February 2026 and 2027 do not
    (NthWeekday({"en": "x"}, month=3, weekday=0, nth=5), 2026, ["2026-03-30"]),
    (NthWeekday({"en": "x"}, month=2, weekday=0, nth=5), 2026, []),
    (NthWeekday({"en": "x"}, month=2, weekday=0, nth=5), 2027, []),
    (NthWeekday({"en": "x"}, month=2, weekday=0, nth=6), 2026, []),
    # Sunday = 6; last Sunday of October 2026
    (NthWeekday({"en": "x"}, month=10, weekday=6, nth=-1), 2026, ["2026-10-25"]),
    # since/until bound a rule, inclusive
    (NthWeekday({"en": "x"}, since=2027, until=2028, month=2, weekday=0, nth=1), 2026, []),
    (
        NthWeekday({"en": "x"}, since=2027, until=2028, month=2, weekday=0, nth=1),
        2027,
        ["2027-02-01"],
    ),
    (
        NthWeekday({"en": "x"}, since=2027, until=2028, month=2, weekday=0, nth=1),
        2028,
        ["2028-02-07"],
    ),
    (NthWeekday({"en": "x"}, since=2027, until=2028, month=2, weekday=0, nth=1), 2029, []),
    (FixedDate({"en": "x"}, since=2027, month=2, day=5), 2026, []),
    (FixedDate({"en": "x"}, since=2027, month=2, day=5), 2027, ["2027-02-05"]),
    (FixedDate({"en": "x"}, until=2006, month=2, day=5), 2006, ["2006-02-05"]),
    (FixedDate({"en": "x"}, until=2006, month=2, day=5), 2007, []),
    (FixedDate({"en": "x"}, month=2, day=29), 2028, ["2028-02-29"]),
    (FixedDate({"en": "x"}, month=2, day=29), 2026, []),
    (FixedDate({"en": "x"}, month=2, day=29), 2100, []),  # not a leap year
    (EasterOffset({"en": "x"}, since=2030, days=-3), 2029, []),
    (EasterOffset({"en": "Maundy Thursday"}, since=2030, days=-3), 2030, ["2030-04-18"]),
    (EasterOffset({"en": "Easter Monday"}, days=1), 2026, ["2026-04-06"]),
]


@pytest.mark.parametrize(("rule", "year", "expected"), RULES)
def test_rule_dates(rule, year: int, expected: list[str]) -> None:
    assert [d.isoformat() for d in rule.dates(year)] == expected


def test_nth_weekday_rule_agrees_with_counting_days() -> None:
    for year in range(1990, 2041):
        for month in (1, 2, 5, 11):
            for weekday in range(7):
                for nth in (1, 2, 3, 4, 5, -1):
                    rule = NthWeekday({"en": "x"}, month=month, weekday=weekday, nth=nth)
                    found = nth_weekday(year, month, weekday, nth)
                    assert rule.dates(year) == ([found] if found else [])


def statutory_spec() -> CalendarSpec:
    """Mexico as the statute observes it: Constitution Day on the first Monday of February
    from 2006, the literal 5 Feb before; Revolution Day on the third Monday of November."""
    return CalendarSpec(
        "America/Mexico_City",
        MON_FRI,
        (
            FixedDate({"en": "New Year's Day"}, month=1, day=1),
            FixedDate({"en": "Constitution Day"}, until=2005, month=2, day=5),
            NthWeekday({"en": "Constitution Day"}, since=2006, month=2, weekday=0, nth=1),
            NthWeekday({"en": "Revolution Day"}, month=11, weekday=0, nth=3),
            NthWeekday({"en": "Last Monday of May"}, month=5, weekday=0, nth=-1),
        ),
    )


STATUTORY = [
    ("2026-01-30T17:00:00-06:00", "2 bh", "2026-02-03T10:00:00-06:00"),  # Mon 2 Feb closed
    ("2026-02-04T17:00:00-06:00", "2 bh", "2026-02-05T10:00:00-06:00"),  # 5 Feb is open
    ("2005-02-04T17:00:00-06:00", "2 bh", "2005-02-07T10:00:00-06:00"),  # Sat 5 Feb 2005
    ("2005-02-06T12:00:00-06:00", "1 bh", "2005-02-07T10:00:00-06:00"),  # Mon 7 Feb 2005 open
    ("2027-01-29T17:00:00-06:00", "2 bh", "2027-02-02T10:00:00-06:00"),  # Mon 1 Feb closed
    ("2026-11-13T17:00:00-06:00", "2 bh", "2026-11-17T10:00:00-06:00"),  # Mon 16 Nov closed
    ("2026-11-19T17:00:00-06:00", "2 bh", "2026-11-20T10:00:00-06:00"),  # Fri 20 Nov open
    ("2026-05-22T17:00:00-06:00", "2 bh", "2026-05-26T10:00:00-06:00"),  # Mon 25 May closed
    ("2027-05-28T17:00:00-06:00", "2 bh", "2027-06-01T10:00:00-06:00"),  # Mon 31 May closed
]


@pytest.mark.parametrize(("start", "duration", "due"), STATUTORY)
def test_rule_based_holidays_close_the_calendar(start: str, duration: str, due: str) -> None:
    cal = BusinessCalendar(statutory_spec())
    same_instant_in_zone(cal.add(iso(start), dur(duration)), iso(due))
    assert cal.elapsed(iso(start), iso(due)) == dur(duration)


def test_rule_based_holiday_names() -> None:
    found = BusinessCalendar(statutory_spec()).holidays(date(2026, 1, 1), date(2026, 12, 31))
    assert [(h.day.isoformat(), h.names["en"]) for h in found] == [
        ("2026-01-01", "New Year's Day"),
        ("2026-02-02", "Constitution Day"),
        ("2026-05-25", "Last Monday of May"),
        ("2026-11-16", "Revolution Day"),
    ]


# --------------------------------------------------------------------- one-off closures

POSADA = Closure(
    local("2026-12-24T14:00"), local("2026-12-24T18:00"), {"es": "Posada", "en": "Company posada"}
)
INVENTORY = Closure(  # Monday 15 March 2027 12:00 to Friday 19 March 2027 10:00
    local("2027-03-15T12:00"), local("2027-03-19T10:00"), {"en": "Inventory week"}
)
NEW_YEAR_BRIDGE = Closure(  # over the turn of the year: Thu 30 Dec 2027 12:00 to Tue 4 Jan 12:00
    local("2027-12-30T12:00"), local("2028-01-04T12:00"), {"en": "New Year bridge"}
)
AFTER_HOURS = Closure(  # a closure outside business hours changes nothing
    local("2026-11-30T18:00"), local("2026-12-01T09:00"), {"en": "Night maintenance"}
)


@pytest.fixture(scope="module")
def closures_cal() -> BusinessCalendar:
    spec = default_policy().calendar_spec
    return BusinessCalendar(
        dataclasses.replace(spec, closures=(POSADA, INVENTORY, NEW_YEAR_BRIDGE, AFTER_HOURS))
    )


CLOSURE_IS_OPEN = [
    ("2026-12-24T13:59:59-06:00", True),
    ("2026-12-24T14:00:00-06:00", False),
    ("2026-12-24T17:59:59-06:00", False),
    ("2027-03-15T11:59:59-06:00", True),
    ("2027-03-15T12:00:00-06:00", False),
    ("2027-03-17T12:00:00-06:00", False),
    ("2027-03-19T09:59:59-06:00", False),
    ("2027-03-19T10:00:00-06:00", True),
    ("2027-12-30T11:59:59-06:00", True),
    ("2027-12-30T12:00:00-06:00", False),
    ("2028-01-03T12:00:00-06:00", False),
    ("2028-01-04T11:59:59-06:00", False),
    ("2028-01-04T12:00:00-06:00", True),
    ("2026-12-01T09:00:00-06:00", True),
]


@pytest.mark.parametrize(("at", "expected"), CLOSURE_IS_OPEN)
def test_closure_is_open(closures_cal: BusinessCalendar, at: str, expected: bool) -> None:
    assert closures_cal.is_open(iso(at)) is expected


CLOSURE_ADD = [
    ("2026-12-24T13:00:00-06:00", "1 bh", "2026-12-24T14:00:00-06:00"),  # lands on the cut
    ("2026-12-24T13:00:00-06:00", "2 bh", "2026-12-28T10:00:00-06:00"),  # posada, Christmas
    ("2026-12-24T15:00:00-06:00", "0 bh", "2026-12-28T09:00:00-06:00"),
    ("2027-03-15T11:00:00-06:00", "2 bh", "2027-03-19T11:00:00-06:00"),  # inventory week
    ("2027-03-16T09:00:00-06:00", "1 bh", "2027-03-19T11:00:00-06:00"),
    ("2027-12-30T10:00:00-06:00", "3 bh", "2028-01-04T13:00:00-06:00"),  # over the new year
    ("2026-11-30T17:00:00-06:00", "2 bh", "2026-12-01T10:00:00-06:00"),  # after hours: no effect
]


@pytest.mark.parametrize(("start", "duration", "due"), CLOSURE_ADD)
def test_closure_add(closures_cal: BusinessCalendar, start: str, duration: str, due: str) -> None:
    same_instant_in_zone(closures_cal.add(iso(start), dur(duration)), iso(due))


CLOSURE_ELAPSED = [
    ("2026-12-24T09:00:00-06:00", "2026-12-24T18:00:00-06:00", timedelta(hours=5)),
    ("2027-03-15T09:00:00-06:00", "2027-03-19T18:00:00-06:00", timedelta(hours=3 + 8)),
    ("2027-03-15T00:00:00-06:00", "2027-03-22T00:00:00-06:00", timedelta(hours=11)),
    ("2027-12-30T09:00:00-06:00", "2028-01-05T09:00:00-06:00", timedelta(hours=3 + 6)),
    ("2026-11-30T09:00:00-06:00", "2026-12-01T18:00:00-06:00", timedelta(hours=18)),
]


@pytest.mark.parametrize(("start", "end", "expected"), CLOSURE_ELAPSED)
def test_closure_elapsed(
    closures_cal: BusinessCalendar, start: str, end: str, expected: timedelta
) -> None:
    assert closures_cal.elapsed(iso(start), iso(end)) == expected


def test_closures_listed_as_holidays(closures_cal: BusinessCalendar) -> None:
    found = closures_cal.holidays(date(2026, 12, 20), date(2026, 12, 31))
    assert [(h.day.isoformat(), h.names["en"], h.closure) for h in found] == [
        ("2026-12-24", "Company posada", POSADA),
        ("2026-12-25", "Christmas Day", None),
        ("2026-12-31", "New Year's Eve", None),
    ]
    # a multi-day closure is listed (under its first day) for any range it overlaps
    found = closures_cal.holidays(date(2028, 1, 2), date(2028, 1, 3))
    assert [(h.day.isoformat(), h.closure) for h in found] == [("2027-12-30", NEW_YEAR_BRIDGE)]


def test_closures_agree_with_naive_reference(closures_cal: BusinessCalendar) -> None:
    ref = NaiveCalendar(
        "America/Mexico_City",
        [[(540, 1080)]] * 5 + [[], []],
        mexican_holidays,
        [(c.starts, c.ends) for c in (POSADA, INVENTORY, NEW_YEAR_BRIDGE, AFTER_HOURS)],
    )
    start = iso("2026-12-01T00:00:00-06:00")
    for hours in range(0, 9 * 40, 7):
        due = closures_cal.add(start, timedelta(hours=hours, minutes=13))
        assert instant(due) == instant(ref.add(start, timedelta(hours=hours, minutes=13)))
    end = iso("2028-02-01T00:00:00-06:00")
    assert closures_cal.elapsed(start, end) == ref.elapsed(start, end)


def test_closure_validation() -> None:
    with pytest.raises(ValueError, match="local times"):
        Closure(iso("2026-12-24T14:00:00-06:00"), iso("2026-12-24T18:00:00-06:00"), {"en": "x"})
    with pytest.raises(ValueError, match="at or before"):
        Closure(local("2026-12-24T18:00"), local("2026-12-24T14:00"), {"en": "x"})
    with pytest.raises(ValueError, match="at or before"):
        Closure(local("2026-12-24T18:00"), local("2026-12-24T18:00"), {"en": "x"})


def test_closure_from_a_policy_file() -> None:
    """The policy file's [[calendar.closures]] reach the calendar (the commented example)."""
    from soporte.policy import DEFAULT_PATH, parse_policy

    text = DEFAULT_PATH.read_text(encoding="utf-8") + (
        '\n[[calendar.closures]]\nfrom = "2026-12-24T14:00"\nto = "2026-12-24T18:00"\n'
        'name = { es = "Posada de la empresa", en = "Company posada" }\n'
    )
    cal = parse_policy(text, source="posada.toml").calendar
    assert cal.is_open(iso("2026-12-24T13:59:59-06:00"))
    assert not cal.is_open(iso("2026-12-24T14:00:00-06:00"))
    assert cal.elapsed(iso("2026-12-24T00:00:00-06:00"), iso("2026-12-25T00:00:00-06:00")) == (
        timedelta(hours=5)
    )


LONG_CLOSURES = [
    # closed for eleven years: whole built years without a single window
    Closure(local("2020-01-01T00:00"), local("2031-01-01T00:00"), {"en": "Eleven-year closure"}),
]
TRAILING_CLOSURE = [
    # from Sunday 1 Jun 2025 to 2028: the years around 2026 are built but have no window after
    Closure(local("2025-06-01T00:00"), local("2028-01-01T00:00"), {"en": "Long refit"}),
]


def test_queries_inside_a_years_long_closure() -> None:
    """Repeated queries inside a closure of several years answer (no bogus 'years' error)."""
    spec = dataclasses.replace(default_policy().calendar_spec, closures=tuple(LONG_CLOSURES))
    cal = BusinessCalendar(spec)
    for text in (
        "2025-06-02T12:00:00-06:00",
        "2025-06-03T12:00:00-06:00",
        "2024-01-01T12:00:00-06:00",
    ):
        assert not cal.is_open(iso(text))
        # 1 Jan 2031 (Wednesday) is a holiday; Thursday 2 Jan opens
        same_instant_in_zone(cal.next_open(iso(text)), iso("2031-01-02T09:00:00-06:00"))
        same_instant_in_zone(cal.add(iso(text), dur("1 bh")), iso("2031-01-02T10:00:00-06:00"))
    # Monday 30 Dec 2019 12:00-18:00, then Thursday 2 Jan 2031 09:00-12:00
    start, end = iso("2019-12-30T12:00:00-06:00"), iso("2031-01-02T12:00:00-06:00")
    assert cal.elapsed(start, end) == timedelta(hours=9)
    assert cal.elapsed(
        iso("2026-01-01T00:00:00-06:00"), iso("2027-01-01T00:00:00-06:00")
    ) == timedelta(0)


def test_queries_after_the_last_window_of_the_built_years() -> None:
    spec = dataclasses.replace(default_policy().calendar_spec, closures=tuple(TRAILING_CLOSURE))
    cal = BusinessCalendar(spec)
    for text in (
        "2026-01-05T12:00:00-06:00",
        "2026-02-02T12:00:00-06:00",
        "2026-03-02T12:00:00-06:00",
    ):
        assert not cal.is_open(iso(text))
        # 1 Jan 2028 is a Saturday: Monday 3 Jan opens
        same_instant_in_zone(cal.next_open(iso(text)), iso("2028-01-03T09:00:00-06:00"))
        assert cal.close_of_business_day(iso(text)) == iso("2028-01-03T18:00:00-06:00")
    starts = [iso("2026-03-02T12:00:00-06:00"), iso("2026-04-01T12:00:00-06:00")]
    due = cal.add_many(starts, [timedelta(0), timedelta(hours=1)])
    assert [from_micros(int(u), cal.zone).isoformat() for u in due] == [
        "2028-01-03T09:00:00-06:00",
        "2028-01-03T10:00:00-06:00",
    ]
    # Friday 30 May 2025 was the last day open before the refit
    assert cal.elapsed(iso("2025-05-30T17:00:00-06:00"), iso("2028-01-03T10:00:00-06:00")) == (
        timedelta(hours=2)
    )
