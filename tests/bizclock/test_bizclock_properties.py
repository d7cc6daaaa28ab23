"""Property tests: the engine against its own laws and against a naive day-by-day reference.

Two calendars: the default policy's (Mexico City, Mon-Fri 09:00-18:00, SUPPORT.md holidays) and a
deliberately awkward one in New York (daylight saving; a lunch break; Saturday hours; Sunday
windows that contain the 02:00 change and one that closes at 24:00; fixed, Easter and
nth-weekday holidays; one-off closures, one of them ending in the repeated hour). Instants span
1990-2040 with microsecond precision; half of them sit on or next to an opening or a close.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from bizclock_support import (
    NaiveCalendar,
    good_friday,
    instant,
    mexico_reference,
    nth_weekday,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soporte.bizclock import (
    BusinessCalendar,
    CalendarSpec,
    Closure,
    EasterOffset,
    FixedDate,
    NthWeekday,
    Window,
    from_micros,
    to_micros,
)
from soporte.policy import default_policy

EXAMPLES = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
US = timedelta(microseconds=1)
HOUR = timedelta(hours=1)

# ------------------------------------------------------------------ the two calendars

LUNCH = [(540, 780), (840, 1080)]
SATURDAY = [(600, 840)]
SUNDAY = [(0, 180), (720, 1440)]  # 00:00-03:00 holds the 02:00 change; 12:00-24:00
NY_WEEK = [LUNCH] * 5 + [SATURDAY, SUNDAY]
NY_CLOSURES = [
    (datetime.fromisoformat("1999-12-31T00:00"), datetime.fromisoformat("2000-01-03T12:00")),
    (datetime.fromisoformat("2030-06-14T12:00"), datetime.fromisoformat("2030-06-17T10:30")),
    # ends in the repeated hour of the fall-back night (read as its first occurrence)
    (datetime.fromisoformat("2031-11-01T20:00"), datetime.fromisoformat("2031-11-02T01:30")),
]


def us_holidays(year: int) -> set[date]:
    days = {date(year, 7, 4), good_friday(year)}
    for month, weekday, nth in ((11, 3, 4), (5, 0, -1)):  # Thanksgiving, Memorial Day
        found = nth_weekday(year, month, weekday, nth)
        assert found is not None
        days.add(found)
    return days


def new_york_spec() -> CalendarSpec:
    def windows(day: list[tuple[int, int]]) -> tuple[Window, ...]:
        return tuple(Window(o, c) for o, c in day)

    return CalendarSpec(
        "America/New_York",
        tuple(windows(day) for day in NY_WEEK),
        (
            FixedDate({"en": "Independence Day"}, month=7, day=4),
            EasterOffset({"en": "Good Friday"}, days=-2),
            NthWeekday({"en": "Thanksgiving"}, month=11, weekday=3, nth=4),
            NthWeekday({"en": "Memorial Day"}, month=5, weekday=0, nth=-1),
        ),
        tuple(Closure(s, e, {"en": f"closure {i}"}) for i, (s, e) in enumerate(NY_CLOSURES)),
    )


@cache
def engines() -> dict[str, BusinessCalendar]:
    return {"mexico": default_policy().calendar, "new_york": BusinessCalendar(new_york_spec())}


@cache
def references() -> dict[str, NaiveCalendar]:
    return {
        "mexico": mexico_reference(),
        "new_york": NaiveCalendar("America/New_York", NY_WEEK, us_holidays, NY_CLOSURES),
    }


NAMES = ["mexico", "new_york"]
BOUNDARY_MINUTES = {
    "mexico": [0, 540, 1080],
    "new_york": [0, 120, 180, 540, 600, 720, 780, 840, 1080, 1440],
}

# ------------------------------------------------------------------------ strategies

LO = to_micros(datetime(1990, 1, 1, tzinfo=UTC))
HI = to_micros(datetime(2040, 12, 31, tzinfo=UTC))
ZONES = [
    UTC,
    ZoneInfo("America/Mexico_City"),
    ZoneInfo("America/New_York"),
    timezone(timedelta(hours=5, minutes=30)),
]


@st.composite
def instants(draw: st.DrawFn, name: str) -> datetime:
    """An aware instant in 1990-2040, in a random zone; often on or a microsecond off an edge."""
    zone = draw(st.sampled_from(ZONES))
    if draw(st.booleans()):
        us = draw(st.integers(LO, HI))
        return from_micros(us, UTC).astimezone(zone)
    day = date.fromordinal(
        draw(st.integers(date(1990, 1, 2).toordinal(), date(2040, 12, 30).toordinal()))
    )
    minutes = draw(st.sampled_from(BOUNDARY_MINUTES[name]))
    local_zone = engines()[name].zone
    local = datetime.combine(day, time(), local_zone) + timedelta(minutes=minutes)
    local = local.replace(fold=draw(st.sampled_from([0, 1])))
    jitter = draw(st.sampled_from([-1, 0, 0, 1])) * US
    return (local.astimezone(UTC) + jitter).astimezone(zone)


durations = st.one_of(
    st.just(timedelta(0)),
    st.integers(1, 10**6).map(lambda us: us * US),
    st.integers(1, 24 * 60).map(lambda m: timedelta(minutes=m)),
    st.integers(1, 300).map(lambda h: h * HOUR),
    st.integers(1, 300 * 3600 * 10**6).map(lambda us: us * US),
)
positive_durations = durations.filter(lambda d: d > timedelta(0))
spans = st.integers(-3 * 86_400 * 10**6, 75 * 86_400 * 10**6).map(lambda us: us * US)

calendars = pytest.mark.parametrize("name", NAMES)


def same(a: datetime, b: datetime) -> bool:
    return instant(a) == instant(b)


def later(t: datetime, delta: timedelta) -> datetime:
    """``t`` moved by ``delta`` of real time (``t + delta`` is wall-clock arithmetic in a zone
    with DST: one hour off across a change, and it can even move backwards in a fold)."""
    return (instant(t) + delta).astimezone(t.tzinfo)


# -------------------------------------------------------------- against the reference


@calendars
@EXAMPLES
@given(data=st.data(), duration=durations)
def test_add_agrees_with_naive_walk(name: str, data: st.DataObject, duration: timedelta) -> None:
    start = data.draw(instants(name))
    got = engines()[name].add(start, duration)
    expected = references()[name].add(start, duration)
    assert same(got, expected), (start.isoformat(), duration, got.isoformat(), expected.isoformat())
    assert got.tzinfo == engines()[name].zone


@calendars
@EXAMPLES
@given(data=st.data(), span=spans)
def test_elapsed_agrees_with_naive_walk(name: str, data: st.DataObject, span: timedelta) -> None:
    start = data.draw(instants(name))
    end = later(start, span)
    assert engines()[name].elapsed(start, end) == references()[name].elapsed(start, end)


@calendars
@EXAMPLES
@given(data=st.data())
def test_is_open_and_next_open_agree_with_naive_walk(name: str, data: st.DataObject) -> None:
    t = data.draw(instants(name))
    cal, ref = engines()[name], references()[name]
    assert cal.is_open(t) is ref.is_open(t)
    opening = cal.next_open(t)
    assert cal.is_open(opening)
    assert same(opening, ref.add(t, timedelta(0)))
    assert same(opening, t) is cal.is_open(t)
    assert cal.elapsed(t, opening) == timedelta(0)


# ------------------------------------------------------------------------ laws


@calendars
@EXAMPLES
@given(data=st.data(), duration=positive_durations)
def test_elapsed_inverts_add(name: str, data: st.DataObject, duration: timedelta) -> None:
    cal = engines()[name]
    start = data.draw(instants(name))
    due = cal.add(start, duration)
    assert cal.elapsed(start, due) == duration
    assert cal.elapsed(start, later(due, -US)) == duration - US  # the earliest such instant
    assert cal.is_open(later(due, -US))


@calendars
@EXAMPLES
@given(data=st.data(), duration=durations, shift=spans)
def test_add_is_monotone_in_start(
    name: str, data: st.DataObject, duration: timedelta, shift: timedelta
) -> None:
    cal = engines()[name]
    a = data.draw(instants(name))
    b = later(a, abs(shift))
    assert instant(cal.add(a, duration)) <= instant(cal.add(b, duration))


@calendars
@EXAMPLES
@given(data=st.data(), d1=durations, d2=durations)
def test_add_is_monotone_in_duration(
    name: str, data: st.DataObject, d1: timedelta, d2: timedelta
) -> None:
    cal = engines()[name]
    start = data.draw(instants(name))
    small, large = sorted((d1, d2))
    assert instant(cal.add(start, small)) <= instant(cal.add(start, large))
    if small < large:
        assert instant(cal.add(start, small)) < instant(cal.add(start, large))


@calendars
@EXAMPLES
@given(data=st.data(), s1=spans, s2=spans)
def test_elapsed_is_additive(name: str, data: st.DataObject, s1: timedelta, s2: timedelta) -> None:
    cal = engines()[name]
    a = data.draw(instants(name))
    b = later(a, abs(s1))
    c = later(b, abs(s2))
    assert cal.elapsed(a, b) + cal.elapsed(b, c) == cal.elapsed(a, c)
    assert cal.elapsed(a, c) <= c - a
    assert cal.elapsed(c, a) == timedelta(0)


@calendars
@EXAMPLES
@given(data=st.data(), d1=positive_durations, d2=positive_durations)
def test_add_composes(name: str, data: st.DataObject, d1: timedelta, d2: timedelta) -> None:
    """Adding d1 then d2 is adding d1 + d2 (for positive amounts)."""
    cal = engines()[name]
    start = data.draw(instants(name))
    assert same(cal.add(cal.add(start, d1), d2), cal.add(start, d1 + d2))


@calendars
@EXAMPLES
@given(data=st.data())
def test_close_of_business_day(name: str, data: st.DataObject) -> None:
    """The close is the last close of the local date of the next (or current) open moment."""
    cal = engines()[name]
    t = data.draw(instants(name))
    close = cal.close_of_business_day(t)
    assert instant(close) > instant(t)
    assert not cal.is_open(close)
    assert cal.is_open(later(close, -US))
    opening = cal.next_open(t)
    assert cal.elapsed(t, close) > timedelta(0)
    if cal.zone.key == "America/Mexico_City":
        assert close.time() == time(18, 0)
        assert close.date() == opening.date()


@calendars
@EXAMPLES
@given(data=st.data(), span=spans)
def test_closed_periods_and_business_time_partition_the_interval(
    name: str, data: st.DataObject, span: timedelta
) -> None:
    cal = engines()[name]
    a = data.draw(instants(name))
    b = later(a, abs(span))
    periods = cal.closed_periods(a, b)
    # in UTC: subtracting two datetimes of one zone ignores ``fold`` (wrong across a fall-back)
    closed = sum((instant(p.ends) - instant(p.starts) for p in periods), timedelta(0))
    assert closed + cal.elapsed(a, b) == instant(b) - instant(a)
    previous = a
    for p in periods:
        assert instant(previous) <= instant(p.starts) < instant(p.ends) <= instant(b)
        assert p.starts.tzinfo == cal.zone
        assert cal.elapsed(p.starts, p.ends) == timedelta(0)
        assert not cal.is_open(p.starts)
        assert instant(p.ends) == instant(b) or cal.is_open(p.ends)  # maximal, unless clipped
        last_day = later(p.ends, -US).astimezone(cal.zone).date()
        for day in p.closed_days:
            assert not cal.spec.week[day.weekday()]
            assert p.starts.date() <= day <= last_day
        for h in p.holidays:
            if h.closure is None:
                assert p.starts.date() <= h.day <= last_day
        previous = p.ends


class OtherDatetime(datetime):
    """A datetime subclass: the engine must answer it exactly as it answers a datetime."""


@calendars
@EXAMPLES
@given(data=st.data(), duration=durations, span=spans)
def test_datetime_subclasses_get_the_same_answers(
    name: str, data: st.DataObject, duration: timedelta, span: timedelta
) -> None:
    cal = engines()[name]
    t = data.draw(instants(name))
    u = later(t, span)
    t2 = OtherDatetime.fromisoformat(t.isoformat()).replace(tzinfo=t.tzinfo, fold=t.fold)
    u2 = OtherDatetime.fromisoformat(u.isoformat()).replace(tzinfo=u.tzinfo, fold=u.fold)
    assert same(cal.add(t2, duration), cal.add(t, duration))
    assert cal.elapsed(t2, u2) == cal.elapsed(t, u)
    assert cal.is_open(t2) is cal.is_open(t)
