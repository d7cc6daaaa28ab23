"""``closed_periods(start, end)``: the closed stretches an interval skips, clipped to it.

Each period says why it was closed: the weekend days it covers (``closed_days``) and the named
holidays or one-off closures (``holidays``). Nights carry neither.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from bizclock_support import MX, iso

from soporte.bizclock import BusinessCalendar, ClosedPeriod, Closure
from soporte.policy import default_policy


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return default_policy().calendar


def summary(periods: list[ClosedPeriod]) -> list[tuple[str, str, list[str], list[str]]]:
    """(starts, ends, holiday English names, closed days) per period, as text."""
    return [
        (
            p.starts.isoformat(),
            p.ends.isoformat(),
            [h.names["en"] for h in p.holidays],
            [d.isoformat() for d in p.closed_days],
        )
        for p in periods
    ]


CASES = [
    # a night
    ("2026-11-24T12:00:00-06:00", "2026-11-25T12:00:00-06:00", [
        ("2026-11-24T18:00:00-06:00", "2026-11-25T09:00:00-06:00", [], []),
    ]),
    # a weekend
    ("2026-11-27T12:00:00-06:00", "2026-11-30T12:00:00-06:00", [
        ("2026-11-27T18:00:00-06:00", "2026-11-30T09:00:00-06:00", [],
         ["2026-11-28", "2026-11-29"]),
    ]),
    # a holiday Friday and the weekend after it
    ("2026-11-19T12:00:00-06:00", "2026-11-23T12:00:00-06:00", [
        ("2026-11-19T18:00:00-06:00", "2026-11-23T09:00:00-06:00", ["Revolution Day"],
         ["2026-11-21", "2026-11-22"]),
    ]),
    # Good Friday 2026
    ("2026-04-02T17:00:00-06:00", "2026-04-06T10:00:00-06:00", [
        ("2026-04-02T18:00:00-06:00", "2026-04-06T09:00:00-06:00", ["Good Friday"],
         ["2026-04-04", "2026-04-05"]),
    ]),
    # a holiday on a Saturday (21 Mar 2026) is named, and not also listed as a closed day
    ("2026-03-20T17:00:00-06:00", "2026-03-23T10:00:00-06:00", [
        ("2026-03-20T18:00:00-06:00", "2026-03-23T09:00:00-06:00", ["Benito Juárez Day"],
         ["2026-03-22"]),
    ]),
    # Christmas to the first Monday of January: nights, two long breaks, nights
    ("2026-12-23T12:00:00-06:00", "2027-01-05T12:00:00-06:00", [
        ("2026-12-23T18:00:00-06:00", "2026-12-24T09:00:00-06:00", [], []),
        ("2026-12-24T18:00:00-06:00", "2026-12-28T09:00:00-06:00", ["Christmas Day"],
         ["2026-12-26", "2026-12-27"]),
        ("2026-12-28T18:00:00-06:00", "2026-12-29T09:00:00-06:00", [], []),
        ("2026-12-29T18:00:00-06:00", "2026-12-30T09:00:00-06:00", [], []),
        ("2026-12-30T18:00:00-06:00", "2027-01-04T09:00:00-06:00",
         ["New Year's Eve", "New Year's Day"], ["2027-01-02", "2027-01-03"]),
        ("2027-01-04T18:00:00-06:00", "2027-01-05T09:00:00-06:00", [], []),
    ]),
    # starting inside a closed stretch: clipped at the start
    ("2026-11-28T10:00:00-06:00", "2026-11-30T12:00:00-06:00", [
        ("2026-11-28T10:00:00-06:00", "2026-11-30T09:00:00-06:00", [],
         ["2026-11-28", "2026-11-29"]),
    ]),
    ("2026-11-30T07:00:00-06:00", "2026-11-30T12:00:00-06:00", [
        ("2026-11-30T07:00:00-06:00", "2026-11-30T09:00:00-06:00", [], []),
    ]),
    ("2026-11-20T10:00:00-06:00", "2026-11-23T10:00:00-06:00", [
        ("2026-11-20T10:00:00-06:00", "2026-11-23T09:00:00-06:00", ["Revolution Day"],
         ["2026-11-21", "2026-11-22"]),
    ]),
    # ending inside a closed stretch: clipped at the end
    ("2026-11-27T12:00:00-06:00", "2026-11-28T12:00:00-06:00", [
        ("2026-11-27T18:00:00-06:00", "2026-11-28T12:00:00-06:00", [], ["2026-11-28"]),
    ]),
    # ending at Sunday 00:00: Sunday is not inside [start, end)
    ("2026-11-27T12:00:00-06:00", "2026-11-29T00:00:00-06:00", [
        ("2026-11-27T18:00:00-06:00", "2026-11-29T00:00:00-06:00", [], ["2026-11-28"]),
    ]),
    # ending at the midnight that starts a holiday: the holiday is not inside either
    ("2026-11-19T12:00:00-06:00", "2026-11-20T00:00:00-06:00", [
        ("2026-11-19T18:00:00-06:00", "2026-11-20T00:00:00-06:00", [], []),
    ]),
    # both ends inside the same closed stretch
    ("2026-11-28T10:00:00-06:00", "2026-11-28T12:00:00-06:00", [
        ("2026-11-28T10:00:00-06:00", "2026-11-28T12:00:00-06:00", [], ["2026-11-28"]),
    ]),
    ("2026-11-24T19:00:00-06:00", "2026-11-24T20:00:00-06:00", [
        ("2026-11-24T19:00:00-06:00", "2026-11-24T20:00:00-06:00", [], []),
    ]),
    # starting exactly at a close, ending exactly at an opening
    ("2026-11-27T18:00:00-06:00", "2026-11-30T09:00:00-06:00", [
        ("2026-11-27T18:00:00-06:00", "2026-11-30T09:00:00-06:00", [],
         ["2026-11-28", "2026-11-29"]),
    ]),
    # within business hours, empty and reversed intervals: nothing skipped
    ("2026-11-30T09:00:00-06:00", "2026-11-30T18:00:00-06:00", []),
    ("2026-11-30T12:00:00-06:00", "2026-11-30T12:00:00-06:00", []),
    ("2026-11-30T13:00:00-06:00", "2026-11-30T12:00:00-06:00", []),
]  # fmt: skip


@pytest.mark.parametrize(("start", "end", "expected"), CASES)
def test_closed_periods(cal: BusinessCalendar, start: str, end: str, expected: list) -> None:
    periods = cal.closed_periods(iso(start), iso(end))
    assert summary(periods) == [(s, e, list(h), list(d)) for s, e, h, d in expected]
    for p in periods:
        assert p.starts.tzinfo == MX
        assert p.ends.tzinfo == MX


def test_holidays_carry_their_dates_and_both_names(cal: BusinessCalendar) -> None:
    (period,) = cal.closed_periods(
        iso("2026-12-30T12:00:00-06:00"), iso("2027-01-04T12:00:00-06:00")
    )
    assert [(h.day, h.names["es"]) for h in period.holidays] == [
        (date(2026, 12, 31), "Fin de Año"),
        (date(2027, 1, 1), "Año Nuevo"),
    ]


def test_closure_periods_are_named() -> None:
    posada = Closure(
        datetime.fromisoformat("2026-12-24T14:00"),
        datetime.fromisoformat("2026-12-24T18:00"),
        {"en": "Company posada"},
    )
    other = Closure(  # the following week, not crossed by the interval
        datetime.fromisoformat("2026-12-29T10:00"),
        datetime.fromisoformat("2026-12-29T11:00"),
        {"en": "Fire drill"},
    )
    spec = dataclasses.replace(default_policy().calendar_spec, closures=(posada, other))
    periods = BusinessCalendar(spec).closed_periods(
        iso("2026-12-24T12:00:00-06:00"), iso("2026-12-28T12:00:00-06:00")
    )
    assert summary(periods) == [
        (
            "2026-12-24T14:00:00-06:00",
            "2026-12-28T09:00:00-06:00",
            ["Company posada", "Christmas Day"],
            ["2026-12-26", "2026-12-27"],
        )
    ]
    assert periods[0].holidays[0].closure == posada


# The partition of an interval into business time and closed periods is a property test in
# test_bizclock_properties.py (both calendars).
