"""Calendar specs built by hand: validation, several windows a day, windows given in any order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bizclock_support import (
    NaiveCalendar,
    dur,
    instant,
    iso,
    mexican_holidays,
    same_instant_in_zone,
)

from soporte.bizclock import (
    WEEKDAYS,
    BusinessCalendar,
    CalendarSpec,
    FixedDate,
    Window,
    display_name,
)
from soporte.policy import default_policy

MX_ZONE = "America/Mexico_City"
NINE_TO_SIX = (Window(540, 1080),)


def test_default_spec_is_the_reading_of_support_md() -> None:
    spec = default_policy().calendar_spec
    assert spec.zone == MX_ZONE
    assert spec.week == (NINE_TO_SIX,) * 5 + ((), ())
    assert spec.closures == ()
    assert len(spec.holidays) == 9
    assert str(spec.week[0][0]) == "09:00-18:00"
    assert WEEKDAYS == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (600, 600, "opens < closes"),
        (600, 540, "opens < closes"),
        (-1, 60, "00:00"),
        (0, 1441, "24:00"),
    ],
)
def test_window_validation(opens: int, closes: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Window(opens, closes)


def test_window_may_close_at_midnight() -> None:
    assert str(Window(1200, 1440)) == "20:00-24:00"


def test_spec_validation() -> None:
    with pytest.raises(ValueError, match="one entry per weekday"):
        CalendarSpec(MX_ZONE, (NINE_TO_SIX,) * 5)
    with pytest.raises(ValueError, match="no business hours"):
        CalendarSpec(MX_ZONE, ((),) * 7)
    with pytest.raises(ValueError, match="overlap"):
        CalendarSpec(MX_ZONE, ((Window(540, 780), Window(720, 1080)),) + ((),) * 6)
    with pytest.raises(ValueError, match="overlap"):  # also when given in reverse order
        CalendarSpec(MX_ZONE, ((Window(720, 1080), Window(540, 780)),) + ((),) * 6)
    # touching windows do not overlap
    CalendarSpec(MX_ZONE, ((Window(540, 780), Window(780, 1080)),) + ((),) * 6)


def test_display_name() -> None:
    assert display_name({"es": "Navidad", "en": "Christmas Day"}, "es") == "Navidad"
    assert display_name({"es": "Navidad", "en": "Christmas Day"}, "fr") == "Christmas Day"
    assert display_name({"es": "Navidad"}, "fr") == "Navidad"
    assert display_name({}, "fr") == ""


LUNCH = (Window(540, 780), Window(840, 1080))  # 09:00-13:00 and 14:00-18:00


@pytest.mark.parametrize("order", [LUNCH, LUNCH[::-1]], ids=["in-order", "reversed"])
def test_several_windows_a_day_in_any_order(order: tuple[Window, ...]) -> None:
    """Windows are a set: the order the spec lists them in must not change any answer."""
    cal = BusinessCalendar(CalendarSpec(MX_ZONE, (order,) * 5 + ((), ())))
    monday = "2026-11-30"
    assert [
        (s.isoformat(), e.isoformat())
        for s, e in cal.windows(date(2026, 11, 30), date(2026, 11, 30))
    ] == [
        (f"{monday}T09:00:00-06:00", f"{monday}T13:00:00-06:00"),
        (f"{monday}T14:00:00-06:00", f"{monday}T18:00:00-06:00"),
    ]
    same_instant_in_zone(
        cal.add(iso(f"{monday}T09:00:00-06:00"), dur("4 bh")), iso(f"{monday}T13:00:00-06:00")
    )
    same_instant_in_zone(
        cal.add(iso(f"{monday}T09:00:00-06:00"), dur("5 bh")), iso(f"{monday}T15:00:00-06:00")
    )
    same_instant_in_zone(
        cal.add(iso(f"{monday}T12:30:00-06:00"), dur("1 bh")), iso(f"{monday}T14:30:00-06:00")
    )
    same_instant_in_zone(
        cal.add(iso(f"{monday}T13:30:00-06:00"), dur("0 bh")), iso(f"{monday}T14:00:00-06:00")
    )
    same_instant_in_zone(
        cal.add(iso(f"{monday}T09:00:00-06:00"), dur("8 bh")), iso(f"{monday}T18:00:00-06:00")
    )
    # 1 bd is 9 bh whatever the length of this calendar's day (8 h here): Fri 1 h + Mon 8 h
    same_instant_in_zone(
        cal.add(iso("2026-11-27T17:00:00-06:00"), dur("1 bd")), iso(f"{monday}T18:00:00-06:00")
    )
    assert not cal.is_open(iso(f"{monday}T13:00:00-06:00"))
    assert cal.is_open(iso(f"{monday}T12:59:59-06:00"))
    assert cal.elapsed(
        iso(f"{monday}T00:00:00-06:00"), iso("2026-12-01T00:00:00-06:00")
    ) == timedelta(hours=8)
    same_instant_in_zone(
        cal.close_of_business_day(iso(f"{monday}T10:00:00-06:00")), iso(f"{monday}T18:00:00-06:00")
    )
    ref = NaiveCalendar(MX_ZONE, [[(540, 780), (840, 1080)]] * 5 + [[], []])
    start = iso("2026-11-26T11:11:11-06:00")
    for minutes in range(0, 60 * 30, 37):
        due = cal.add(start, timedelta(minutes=minutes))
        assert instant(due) == instant(ref.add(start, timedelta(minutes=minutes)))


def test_overnight_windows_closing_at_midnight() -> None:
    """A 24-hour operation (00:00-24:00 every day) is always open; days join seamlessly."""
    cal = BusinessCalendar(CalendarSpec(MX_ZONE, ((Window(0, 1440),),) * 7))
    start = iso("2026-11-30T23:30:00-06:00")
    same_instant_in_zone(cal.add(start, dur("1 bh")), iso("2026-12-01T00:30:00-06:00"))
    same_instant_in_zone(cal.add(start, dur("30 min")), iso("2026-12-01T00:00:00-06:00"))
    assert cal.is_open(iso("2026-12-01T00:00:00-06:00"))
    assert cal.next_open(iso("2026-12-01T00:00:00-06:00")) == iso("2026-12-01T00:00:00-06:00")
    assert cal.elapsed(start, iso("2026-12-08T23:30:00-06:00")) == timedelta(days=8)


def test_holiday_on_a_day_without_hours_changes_nothing() -> None:
    spec = CalendarSpec(
        MX_ZONE, (NINE_TO_SIX,) * 5 + ((), ()), (FixedDate({"en": "x"}, month=11, day=28),)
    )
    cal = BusinessCalendar(spec)  # 28 Nov 2026 is a Saturday
    assert cal.elapsed(
        iso("2026-11-27T00:00:00-06:00"), iso("2026-12-01T00:00:00-06:00")
    ) == timedelta(hours=18)


def test_default_calendar_matches_reference_on_a_few_landmarks() -> None:
    cal = default_policy().calendar
    ref = NaiveCalendar(MX_ZONE, [[(540, 1080)]] * 5 + [[], []], mexican_holidays)
    for text in (
        "2026-04-02T17:30:00-06:00",
        "2026-12-24T17:59:59.999999-06:00",
        "2028-02-29T12:00:00-06:00",
    ):
        for hours in (0, 1, 9, 10, 45, 100):
            assert instant(cal.add(iso(text), timedelta(hours=hours))) == instant(
                ref.add(iso(text), timedelta(hours=hours))
            )
