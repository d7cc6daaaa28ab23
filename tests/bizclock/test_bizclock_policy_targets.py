"""Every cell of the SLA grid and every channel target of the default policy, due times by hand.

Business cells: ``policy.calendar.add(opened, target.amount)``. 24/7 cells (Enterprise P0, the
emergency phone line): ``policy.wall_clock.add``. Slack Connect ("same bd"):
``calendar.close_of_business_day``. Email and portal have no target of their own (the grid).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from bizclock_support import MX, iso, same_instant_in_zone

from soporte.bizclock import BusinessCalendar, CalendarSpec, Closure, WallClock, Window
from soporte.policy import Basis, Policy, default_policy


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


# Opened Thursday 19 Nov 2026 16:30, the eve of Revolution Day (Friday 20): 1 h 30 left that
# day, then Friday (holiday), Saturday and Sunday are skipped.
OPENED_BEFORE_HOLIDAY = "2026-11-19T16:30:00-06:00"
# Opened Wednesday 23 Dec 2026 10:00: Christmas (Fri 25), 31 Dec (Thu), 1 Jan (Fri) ahead.
OPENED_BEFORE_CHRISTMAS = "2026-12-23T10:00:00-06:00"
# Opened Saturday 28 Nov 2026 11:00: business clocks start Monday 09:00; some land on 18:00.
OPENED_ON_SATURDAY = "2026-11-28T11:00:00-06:00"

GRID = [
    # plan, severity, target text, basis, due from the three openings above
    ("starter", "P0", "4 bh", Basis.BUSINESS,
     "2026-11-23T11:30:00-06:00", "2026-12-23T14:00:00-06:00", "2026-11-30T13:00:00-06:00"),
    ("pro", "P0", "1 bh", Basis.BUSINESS,
     "2026-11-19T17:30:00-06:00", "2026-12-23T11:00:00-06:00", "2026-11-30T10:00:00-06:00"),
    ("enterprise", "P0", "15 min 24/7", Basis.WALL,
     "2026-11-19T16:45:00-06:00", "2026-12-23T10:15:00-06:00", "2026-11-28T11:15:00-06:00"),
    ("starter", "P1", "1 bd", Basis.BUSINESS,
     "2026-11-23T16:30:00-06:00", "2026-12-24T10:00:00-06:00", "2026-11-30T18:00:00-06:00"),
    ("pro", "P1", "4 bh", Basis.BUSINESS,
     "2026-11-23T11:30:00-06:00", "2026-12-23T14:00:00-06:00", "2026-11-30T13:00:00-06:00"),
    ("enterprise", "P1", "1 bh", Basis.BUSINESS,
     "2026-11-19T17:30:00-06:00", "2026-12-23T11:00:00-06:00", "2026-11-30T10:00:00-06:00"),
    ("starter", "P2", "2 bd", Basis.BUSINESS,
     "2026-11-24T16:30:00-06:00", "2026-12-28T10:00:00-06:00", "2026-12-01T18:00:00-06:00"),
    ("pro", "P2", "1 bd", Basis.BUSINESS,
     "2026-11-23T16:30:00-06:00", "2026-12-24T10:00:00-06:00", "2026-11-30T18:00:00-06:00"),
    ("enterprise", "P2", "4 bh", Basis.BUSINESS,
     "2026-11-23T11:30:00-06:00", "2026-12-23T14:00:00-06:00", "2026-11-30T13:00:00-06:00"),
    ("starter", "P3", "5 bd", Basis.BUSINESS,
     "2026-11-27T16:30:00-06:00", "2027-01-04T10:00:00-06:00", "2026-12-04T18:00:00-06:00"),
    ("pro", "P3", "2 bd", Basis.BUSINESS,
     "2026-11-24T16:30:00-06:00", "2026-12-28T10:00:00-06:00", "2026-12-01T18:00:00-06:00"),
    ("enterprise", "P3", "1 bd", Basis.BUSINESS,
     "2026-11-23T16:30:00-06:00", "2026-12-24T10:00:00-06:00", "2026-11-30T18:00:00-06:00"),
]  # fmt: skip

AMOUNTS = {
    "4 bh": timedelta(hours=4),
    "1 bh": timedelta(hours=1),
    "15 min 24/7": timedelta(minutes=15),
    "1 bd": timedelta(hours=9),
    "2 bd": timedelta(hours=18),
    "5 bd": timedelta(hours=45),
}


def test_grid_has_exactly_twelve_cells(policy: Policy) -> None:
    assert set(policy.sla) == {(row[0], row[1]) for row in GRID}
    assert len(policy.sla) == 12


@pytest.mark.parametrize(("plan", "sev", "text", "basis", "due_a", "due_b", "due_c"), GRID)
def test_grid_target(
    policy: Policy, plan: str, sev: str, text: str, basis: Basis, due_a: str, due_b: str, due_c: str
) -> None:
    target = policy.sla[(plan, sev)]
    assert target.text == text
    assert str(target) == text
    assert target.basis is basis
    assert target.is_24_7 is (basis is Basis.WALL)
    assert target.amount == AMOUNTS[text]
    assert policy.first_response_target(plan, sev) == target


@pytest.mark.parametrize(
    "opened", [OPENED_BEFORE_HOLIDAY, OPENED_BEFORE_CHRISTMAS, OPENED_ON_SATURDAY], ids="ABC"
)
@pytest.mark.parametrize(("plan", "sev", "text", "basis", "due_a", "due_b", "due_c"), GRID)
def test_grid_due_time(
    policy: Policy,
    opened: str,
    plan: str,
    sev: str,
    text: str,
    basis: Basis,
    due_a: str,
    due_b: str,
    due_c: str,
) -> None:
    due = {OPENED_BEFORE_HOLIDAY: due_a, OPENED_BEFORE_CHRISTMAS: due_b, OPENED_ON_SATURDAY: due_c}
    target = policy.sla[(plan, sev)]
    start = iso(opened)
    if basis is Basis.WALL:
        got = policy.wall_clock.add(start, target.amount)
        assert policy.clock_for(target) is policy.wall_clock
    else:
        got = policy.calendar.add(start, target.amount)
        assert policy.clock_for(target) is policy.calendar
    same_instant_in_zone(got, iso(due[opened]))
    assert policy.clock_for(target).add(start, target.amount) == got
    assert policy.clock_for(target).elapsed(start, got) == target.amount


# ---------------------------------------------------------------------------- channels

CHANNELS = [
    # code, entitled plans, target text (None: the SLA grid), basis
    ("email", {"starter", "pro", "enterprise"}, None, None),
    ("portal", {"starter", "pro", "enterprise"}, None, None),
    ("chat", {"starter", "pro", "enterprise"}, "15 min", Basis.BUSINESS),
    ("whatsapp", {"starter", "pro", "enterprise"}, "30 min", Basis.BUSINESS),
    ("slack", {"pro", "enterprise"}, "same bd", Basis.SAME_BUSINESS_DAY),
    ("phone", {"enterprise"}, "15 min 24/7", Basis.WALL),
]


def test_every_channel_is_listed(policy: Policy) -> None:
    assert set(policy.channels) == {row[0] for row in CHANNELS}


@pytest.mark.parametrize(("code", "plans", "text", "basis"), CHANNELS)
def test_channel_target(
    policy: Policy, code: str, plans: set[str], text: str | None, basis
) -> None:
    channel = policy.channels[code]
    assert channel.plans == plans
    if text is None:
        assert channel.target is None
        return
    assert channel.target is not None
    assert channel.target.text == text
    assert channel.target.basis is basis
    expected = {"15 min": 15, "30 min": 30, "same bd": 0, "15 min 24/7": 15}[text]
    assert channel.target.amount == timedelta(minutes=expected)


def test_phone_opens_a_p0_at_t3(policy: Policy) -> None:
    assert policy.channels["phone"].severity == "P0"
    assert policy.channels["phone"].tier == "T3"


def channel_due(policy: Policy, code: str, opened: datetime) -> datetime | None:
    target = policy.channels[code].target
    if target is None:
        return None
    if target.basis is Basis.SAME_BUSINESS_DAY:
        return policy.calendar.close_of_business_day(opened)
    if target.basis is Basis.WALL:
        return policy.wall_clock.add(opened, target.amount)
    return policy.calendar.add(opened, target.amount)


CHANNEL_DUE = [
    # the three openings of the grid
    ("chat", OPENED_BEFORE_HOLIDAY, "2026-11-19T16:45:00-06:00"),
    ("whatsapp", OPENED_BEFORE_HOLIDAY, "2026-11-19T17:00:00-06:00"),
    ("slack", OPENED_BEFORE_HOLIDAY, "2026-11-19T18:00:00-06:00"),
    ("phone", OPENED_BEFORE_HOLIDAY, "2026-11-19T16:45:00-06:00"),
    ("email", OPENED_BEFORE_HOLIDAY, None),
    ("portal", OPENED_BEFORE_HOLIDAY, None),
    ("chat", OPENED_BEFORE_CHRISTMAS, "2026-12-23T10:15:00-06:00"),
    ("whatsapp", OPENED_BEFORE_CHRISTMAS, "2026-12-23T10:30:00-06:00"),
    ("slack", OPENED_BEFORE_CHRISTMAS, "2026-12-23T18:00:00-06:00"),
    ("phone", OPENED_BEFORE_CHRISTMAS, "2026-12-23T10:15:00-06:00"),
    ("chat", OPENED_ON_SATURDAY, "2026-11-30T09:15:00-06:00"),
    ("whatsapp", OPENED_ON_SATURDAY, "2026-11-30T09:30:00-06:00"),
    ("slack", OPENED_ON_SATURDAY, "2026-11-30T18:00:00-06:00"),
    ("phone", OPENED_ON_SATURDAY, "2026-11-28T11:15:00-06:00"),
    ("email", OPENED_ON_SATURDAY, None),
    # business-hours channels straddling a close
    ("chat", "2026-11-27T17:50:00-06:00", "2026-11-30T09:05:00-06:00"),
    ("chat", "2026-11-30T17:45:00-06:00", "2026-11-30T18:00:00-06:00"),  # lands on the close
    ("chat", "2026-11-30T18:00:00-06:00", "2026-12-01T09:15:00-06:00"),
    ("chat", "2026-11-30T08:59:59-06:00", "2026-11-30T09:15:00-06:00"),
    ("whatsapp", "2026-11-19T17:45:00-06:00", "2026-11-23T09:15:00-06:00"),  # over the holiday
    ("whatsapp", "2026-12-31T03:00:00-06:00", "2027-01-04T09:30:00-06:00"),
    # the emergency line never pauses
    ("phone", "2026-12-24T23:55:00-06:00", "2026-12-25T00:10:00-06:00"),
    ("phone", "2026-11-28T03:00:00-06:00", "2026-11-28T03:15:00-06:00"),
    # Slack Connect: 18:00 that day if before 18:00 on a business day, else the next one's
    ("slack", "2026-11-30T00:00:00-06:00", "2026-11-30T18:00:00-06:00"),
    ("slack", "2026-11-30T08:59:59-06:00", "2026-11-30T18:00:00-06:00"),
    ("slack", "2026-11-30T09:00:00-06:00", "2026-11-30T18:00:00-06:00"),
    ("slack", "2026-11-30T17:59:59-06:00", "2026-11-30T18:00:00-06:00"),
    ("slack", "2026-11-30T17:59:59.999999-06:00", "2026-11-30T18:00:00-06:00"),
    ("slack", "2026-11-30T18:00:00-06:00", "2026-12-01T18:00:00-06:00"),
    ("slack", "2026-11-30T23:00:00-06:00", "2026-12-01T18:00:00-06:00"),
    ("slack", "2026-11-27T18:00:00-06:00", "2026-11-30T18:00:00-06:00"),  # Friday close
    ("slack", "2026-11-29T23:59:59-06:00", "2026-11-30T18:00:00-06:00"),  # Sunday
    ("slack", "2026-11-19T18:30:00-06:00", "2026-11-23T18:00:00-06:00"),  # holiday Friday
    ("slack", "2026-11-20T10:00:00-06:00", "2026-11-23T18:00:00-06:00"),  # on the holiday
    ("slack", "2026-12-30T18:00:00-06:00", "2027-01-04T18:00:00-06:00"),
    ("slack", "2026-11-30T23:59:59+00:00", "2026-11-30T18:00:00-06:00"),  # 17:59:59 local
    ("slack", "2026-12-01T00:00:00+00:00", "2026-12-01T18:00:00-06:00"),  # 18:00 local
]


@pytest.mark.parametrize(("code", "opened", "due"), CHANNEL_DUE)
def test_channel_due_time(policy: Policy, code: str, opened: str, due: str | None) -> None:
    got = channel_due(policy, code, iso(opened))
    if due is None:
        assert got is None
    else:
        assert got is not None
        same_instant_in_zone(got, iso(due))


# ------------------------------------------------------------- Enterprise P0 is 24/7

WALL = [
    ("2026-12-24T23:55:00-06:00", "2026-12-25T00:10:00-06:00"),  # into Christmas Day
    ("2026-12-31T23:50:00-06:00", "2027-01-01T00:05:00-06:00"),  # into New Year's Day
    ("2026-11-28T03:00:00-06:00", "2026-11-28T03:15:00-06:00"),  # Saturday 03:00
    ("2026-11-30T17:50:00-06:00", "2026-11-30T18:05:00-06:00"),  # past the close
    ("2022-10-30T01:50:00-05:00", "2022-10-30T01:05:00-06:00"),  # Mexico's last fall-back
]


@pytest.mark.parametrize(("opened", "due"), WALL)
def test_enterprise_p0_counts_wall_clock_time(policy: Policy, opened: str, due: str) -> None:
    target = policy.sla[("enterprise", "P0")]
    got = policy.wall_clock.add(iso(opened), target.amount)
    same_instant_in_zone(got, iso(due))
    assert policy.wall_clock.elapsed(iso(opened), got) == timedelta(minutes=15)
    # the business clock would have paused: the two differ whenever the 15 min are not all open
    if not policy.calendar.is_open(iso(opened)):
        assert policy.calendar.add(iso(opened), target.amount) > got


def test_wall_clock_zone_is_the_calendar_zone(policy: Policy) -> None:
    assert policy.wall_clock.zone == MX == policy.calendar.zone
    assert isinstance(policy.wall_clock, WallClock)
    assert policy.escalation.founder_cto_after.basis is Basis.WALL
    assert policy.escalation.founder_cto_after.amount == timedelta(minutes=30)


# ------------------------------------------------------- close of business day, other shapes

SPLIT_DAY = CalendarSpec(  # a lunch break: 09:00-13:00 and 14:00-18:00
    "America/Mexico_City",
    ((Window(540, 780), Window(840, 1080)),) * 5 + ((), ()),
)


@pytest.mark.parametrize(
    ("at", "close"),
    [
        ("2026-11-30T08:00:00-06:00", "2026-11-30T18:00:00-06:00"),
        ("2026-11-30T10:00:00-06:00", "2026-11-30T18:00:00-06:00"),
        ("2026-11-30T13:00:00-06:00", "2026-11-30T18:00:00-06:00"),  # during the lunch break
        ("2026-11-30T13:30:00-06:00", "2026-11-30T18:00:00-06:00"),
        ("2026-11-30T17:00:00-06:00", "2026-11-30T18:00:00-06:00"),
        ("2026-11-30T18:00:00-06:00", "2026-12-01T18:00:00-06:00"),
        ("2026-11-28T12:00:00-06:00", "2026-11-30T18:00:00-06:00"),
    ],
)
def test_close_of_business_day_with_a_lunch_break(at: str, close: str) -> None:
    got = BusinessCalendar(SPLIT_DAY).close_of_business_day(iso(at))
    same_instant_in_zone(got, iso(close))


@pytest.mark.parametrize(
    ("at", "close"),
    [
        ("2026-12-24T10:00:00-06:00", "2026-12-24T14:00:00-06:00"),  # the day closes at 14:00
        ("2026-12-24T14:30:00-06:00", "2026-12-28T18:00:00-06:00"),  # then Christmas, weekend
    ],
)
def test_close_of_business_day_with_an_early_closure(policy: Policy, at: str, close: str) -> None:
    posada = Closure(
        datetime.fromisoformat("2026-12-24T14:00"),
        datetime.fromisoformat("2026-12-24T18:00"),
        {"en": "Company posada"},
    )
    cal = BusinessCalendar(dataclasses.replace(policy.calendar_spec, closures=(posada,)))
    same_instant_in_zone(cal.close_of_business_day(iso(at)), iso(close))
