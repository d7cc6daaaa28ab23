"""Review weeks: ISO weeks on Mexico City's wall clock, edges to the microsecond."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.feedback.domain.weeks import Week, span, week_of

MX = "America/Mexico_City"
MX_TZ = ZoneInfo(MX)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (
            datetime(2026, 12, 6, 23, 59, 59, 999999, tzinfo=MX_TZ),
            Week(2026, 49),
        ),  # Sunday, last instant
        (datetime(2026, 12, 7, 0, 0, tzinfo=MX_TZ), Week(2026, 50)),  # Monday 00:00
        (datetime(2026, 12, 31, 12, 0, tzinfo=MX_TZ), Week(2026, 53)),  # 2026 has 53 ISO weeks
        (datetime(2027, 1, 3, 23, 0, tzinfo=MX_TZ), Week(2026, 53)),
        (datetime(2027, 1, 4, 0, 0, tzinfo=MX_TZ), Week(2027, 1)),
        (
            datetime(2024, 12, 30, 9, 0, tzinfo=MX_TZ),
            Week(2025, 1),
        ),  # ISO year ahead of the calendar's
    ],
)
def test_week_of_reads_mexico_city_wall_clock(local, expected):  # type: ignore[no-untyped-def]
    assert week_of(local, MX) == expected


def test_sunday_evening_in_mexico_is_monday_in_utc_but_still_last_week():
    monday_utc = datetime(2026, 12, 7, 5, 59, 59, tzinfo=UTC)  # Sunday 23:59:59 in Mexico City
    assert week_of(monday_utc, MX) == Week(2026, 49)
    assert week_of(monday_utc + timedelta(seconds=1), MX) == Week(2026, 50)


def test_span_is_monday_to_monday_in_the_zone():
    start, end = span(Week(2026, 50), MX)
    assert start == datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 14, 6, 0, tzinfo=UTC)


def test_labels_round_trip_and_bad_ones_say_why():
    assert str(Week(2026, 1)) == "2026-W01"
    assert Week.parse("2026-W53") == Week(2026, 53)
    with pytest.raises(ValueError, match="not an ISO week"):
        Week.parse("2026-53")
    with pytest.raises(ValueError, match="2025 has ISO weeks 1 to 52, not 53"):
        Week.parse("2025-W53")
    with pytest.raises(ValueError, match="aware"):
        week_of(datetime(2026, 12, 7), MX)  # noqa: DTZ001 - the naive input under test


def test_shifted_crosses_years():
    assert Week(2026, 53).shifted(1) == Week(2027, 1)
    assert Week(2027, 1).shifted(-1) == Week(2026, 53)
    assert Week(2026, 49).shifted(0) == Week(2026, 49)


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    )
)
def test_every_instant_is_inside_the_span_of_its_week(at):  # type: ignore[no-untyped-def]
    week = week_of(at, MX)
    start, end = span(week, MX)
    assert start <= at < end
    assert week_of(start, MX) == week
    assert week_of(end, MX) == week.shifted(1)
    assert week_of(end - timedelta(microseconds=1), MX) == week


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_weeks_are_seven_days_apart(day):  # type: ignore[no-untyped-def]
    week = Week(*day.isocalendar()[:2])
    assert week.shifted(1).monday - week.monday == timedelta(days=7)
