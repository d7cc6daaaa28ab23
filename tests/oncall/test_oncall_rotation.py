"""Rotation math, edge by edge, with the expected answers written out."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from oncall_checks import override, rotation, utc

from soporte.oncall.domain import (
    Assignment,
    OnCallNow,
    Role,
    assignments,
    handoff_instant,
    last_handoff,
    shift_weeks,
    shifts,
    who,
)

MEXICO = ZoneInfo("America/Mexico_City")
US = timedelta(microseconds=1)
# Mon 30 Nov 2026 10:00 CST
START = utc(2026, 11, 30, 16)
ABC = rotation((1, 2, 3), START)


def local(*args: int, zone: ZoneInfo = MEXICO) -> datetime:
    return datetime(*args, tzinfo=zone)


@pytest.mark.parametrize(
    ("at", "primary", "secondary", "shift_start", "shift_end"),
    [
        # the handoff is Monday 10:00 CST, to the microsecond
        (START, 1, 2, START, START + timedelta(days=7)),
        (START + timedelta(days=7) - US, 1, 2, START, START + timedelta(days=7)),
        (START + timedelta(days=7), 2, 3, START + timedelta(days=7), START + timedelta(days=14)),
        (START + timedelta(days=14), 3, 1, START + timedelta(days=14), START + timedelta(days=21)),
        (START + timedelta(days=21), 1, 2, START + timedelta(days=21), START + timedelta(days=28)),
        # the year end falls inside the fifth shift (Mon 28 Dec - Mon 4 Jan)
        (local(2027, 1, 1, 0, 0), 2, 3, utc(2026, 12, 28, 16), utc(2027, 1, 4, 16)),
        # before the start nobody is on call; the stretch is the grid's week
        (START - US, None, None, START - timedelta(days=7), START),
        (utc(2025, 6, 1), None, None, utc(2025, 5, 26, 16), utc(2025, 6, 2, 16)),
    ],
)
def test_who_across_handoffs(at, primary, secondary, shift_start, shift_end):
    assert who(ABC, [], at) == OnCallNow(primary, secondary, shift_start, shift_end)


def test_answers_are_in_utc_whatever_zone_the_question_uses():
    now = who(ABC, [], local(2026, 12, 2, 12))
    assert now.shift_start == START
    assert now.shift_start.tzinfo is UTC


def test_a_start_mid_week_makes_a_short_first_shift():
    rot = rotation((1, 2), local(2026, 12, 3, 15, 30))
    assert who(rot, [], local(2026, 12, 3, 15, 29)) == OnCallNow(
        None, None, utc(2026, 11, 30, 16), utc(2026, 12, 3, 21, 30)
    )
    assert who(rot, [], local(2026, 12, 3, 15, 30)) == OnCallNow(
        1, 2, utc(2026, 12, 3, 21, 30), utc(2026, 12, 7, 16)
    )
    assert who(rot, [], local(2026, 12, 7, 10)).primary == 2


def test_an_empty_rotation_has_nobody_but_keeps_its_weeks():
    rot = rotation((), START)
    assert who(rot, [], START + timedelta(days=3)) == OnCallNow(
        None, None, START, START + timedelta(days=7)
    )


def test_one_member_has_no_secondary():
    assert who(rotation((4,), START), [], START).secondary is None


def test_a_second_layer_names_the_secondary_in_its_own_order():
    rot = rotation((1, 2, 3), START, second_layer=(8, 9))
    weeks = [who(rot, [], START + timedelta(days=7 * k)) for k in range(4)]
    assert [(w.primary, w.secondary) for w in weeks] == [(1, 8), (2, 9), (3, 8), (1, 9)]


def test_two_week_shifts():
    rot = rotation((1, 2), START, weeks=2)
    assert who(rot, [], START + timedelta(days=13)).primary == 1
    assert who(rot, [], START + timedelta(days=14)) == OnCallNow(
        2, 1, START + timedelta(days=14), START + timedelta(days=28)
    )


def test_another_handoff_day_and_time():
    # Friday 18:00 in Mexico City
    rot = rotation((1, 2), local(2026, 12, 4, 18), weekday=4, clock=time(18))
    assert who(rot, [], local(2026, 12, 11, 17, 59)).primary == 1
    assert who(rot, [], local(2026, 12, 11, 18)).primary == 2


# ------------------------------------------------------------------ overrides


def test_an_override_wins_over_the_rotation_for_its_range_only():
    cover = override("primary", local(2026, 12, 2, 14), local(2026, 12, 2, 18), 7, covered=1)
    assert who(ABC, [cover], local(2026, 12, 2, 13, 59)).primary == 1
    assert who(ABC, [cover], local(2026, 12, 2, 14)) == OnCallNow(
        7, 2, utc(2026, 12, 2, 20), utc(2026, 12, 3, 0)
    )
    assert who(ABC, [cover], local(2026, 12, 2, 18)) == OnCallNow(
        1, 2, utc(2026, 12, 3, 0), START + timedelta(days=7)
    )


def test_a_secondary_override_leaves_the_primary_alone():
    cover = override("secondary", START, START + timedelta(days=1), 7)
    assert who(ABC, [cover], START) == OnCallNow(1, 7, START, START + timedelta(days=1))


def test_an_override_across_a_handoff_is_cut_there():
    cover = override("primary", START + timedelta(days=6), START + timedelta(days=8), 7)
    before = who(ABC, [cover], START + timedelta(days=6))
    after = who(ABC, [cover], START + timedelta(days=7))
    assert (before.primary, before.secondary, before.shift_end) == (
        7,
        2,
        START + timedelta(days=7),
    )
    assert (after.primary, after.secondary, after.shift_end) == (7, 3, START + timedelta(days=8))


def test_an_override_applies_before_the_rotation_starts():
    cover = override("primary", START - timedelta(days=2), START + timedelta(hours=1), 7)
    assert who(ABC, [cover], START - timedelta(days=1)).primary == 7
    assert who(ABC, [cover], START).primary == 7
    assert who(ABC, [cover], START + timedelta(hours=1)).primary == 1


def test_of_overlapping_overrides_the_latest_created_wins():
    older = override("primary", START, START + timedelta(days=2), 7, created=utc(2026, 11, 1))
    newer = override(
        "primary", START + timedelta(days=1), START + timedelta(days=3), 8, created=utc(2026, 11, 2)
    )
    for given in ([older, newer], [newer, older]):
        assert who(ABC, given, START + timedelta(hours=30)).primary == 8
        assert who(ABC, given, START + timedelta(hours=12)).primary == 7
        assert who(ABC, given, START + timedelta(hours=50)).primary == 8


def test_overrides_created_at_the_same_instant_rank_by_id():
    a = override("primary", START, START + timedelta(days=1), 7, id=5)
    b = override("primary", START, START + timedelta(days=1), 8, id=6)
    assert who(ABC, [b, a], START).primary == 8


def test_a_swap_is_two_overrides():
    week = timedelta(days=7)
    swap = [
        override("primary", START, START + week, 2, covered=1),
        override("primary", START + week, START + 2 * week, 1, covered=2),
    ]
    assert [who(ABC, swap, START + k * week).primary for k in range(3)] == [2, 1, 3]


def test_an_override_matching_the_rotation_changes_nothing_visible():
    same = override("primary", START + timedelta(days=1), START + timedelta(days=2), 1)
    assert who(ABC, [same], START + timedelta(days=1)) == who(ABC, [], START)


# ----------------------------------------------------------- daylight saving


def test_shifts_follow_local_wall_time_in_a_zone_with_daylight_saving():
    madrid = ZoneInfo("Europe/Madrid")
    rot = rotation((1, 2), local(2026, 3, 23, 10, zone=madrid), zone="Europe/Madrid")
    spring = who(rot, [], local(2026, 3, 25, zone=madrid))
    assert spring.shift_end - spring.shift_start == timedelta(hours=167)
    assert spring.shift_end == local(2026, 3, 30, 10, zone=madrid)
    autumn = who(rot, [], local(2026, 10, 28, zone=madrid))
    assert autumn.shift_start == local(2026, 10, 26, 10, zone=madrid)
    later = who(rot, [], local(2026, 10, 20, zone=madrid))
    assert later.shift_end - later.shift_start == timedelta(hours=169)


def test_mexico_city_handoffs_follow_its_history():
    rot = rotation((1, 2), utc(2022, 3, 7, 16))
    # CST (-06:00) until Sun 3 Apr 2022, CDT (-05:00) until Sun 30 Oct 2022, then CST for good
    assert who(rot, [], utc(2022, 4, 1)).shift_end == utc(2022, 4, 4, 15)
    assert who(rot, [], utc(2022, 11, 1)).shift_end == utc(2022, 11, 7, 16)


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # 02:30 does not exist on 29 Mar 2026 in Madrid: the offset before the jump (+01:00)
        ("Europe/Madrid", (2026, 3, 29), utc(2026, 3, 29, 1, 30)),
        # 02:30 happens twice on 25 Oct 2026 in Madrid: the first time (+02:00)
        ("Europe/Madrid", (2026, 10, 25), utc(2026, 10, 25, 0, 30)),
        # 02:30 does not exist on 8 Mar 2026 in Tijuana: the offset before (-08:00)
        ("America/Tijuana", (2026, 3, 8), utc(2026, 3, 8, 10, 30)),
        ("America/Mexico_City", (2026, 3, 8), utc(2026, 3, 8, 8, 30)),
    ],
)
def test_a_missing_or_repeated_handoff_time_takes_the_offset_before_the_change(zone, day, expected):
    rot = rotation((1,), START, zone=zone, weekday=6, clock=time(2, 30))
    assert handoff_instant(rot, datetime(*day, tzinfo=UTC).date()) == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (START, START),
        (START - US, START - timedelta(days=7)),
        (local(2026, 12, 6, 23, 59), START),
        # weekly whatever the shift length, and before the rotation's start too
        (utc(2025, 6, 1), utc(2025, 5, 26, 16)),
    ],
)
def test_the_last_handoff_is_weekly_at_or_before_the_instant(at, expected):
    assert last_handoff(rotation((1, 2), START, weeks=2), at) == expected


def test_the_last_handoff_follows_local_wall_time():
    madrid = ZoneInfo("Europe/Madrid")
    rot = rotation((), local(2026, 3, 23, 10, zone=madrid), zone="Europe/Madrid")
    assert last_handoff(rot, local(2026, 4, 1, zone=madrid)) == local(2026, 3, 30, 10, zone=madrid)
    assert last_handoff(rot, local(2026, 4, 1, zone=madrid)).tzinfo is UTC


# ------------------------------------------------------------------- listing


def test_shifts_over_a_range_are_cut_at_handoffs_and_overrides():
    cover = override("primary", START + timedelta(days=2), START + timedelta(days=3), 7)
    listing = shifts(ABC, [cover], START - timedelta(days=1), START + timedelta(days=10))
    assert [(s.index, s.start, s.end, s.primary, s.secondary) for s in listing] == [
        (-1, START - timedelta(days=1), START, None, None),
        (0, START, START + timedelta(days=2), 1, 2),
        (0, START + timedelta(days=2), START + timedelta(days=3), 7, 2),
        (0, START + timedelta(days=3), START + timedelta(days=7), 1, 2),
        (1, START + timedelta(days=7), START + timedelta(days=10), 2, 3),
    ]


def test_shifts_of_an_empty_range_are_none():
    assert shifts(ABC, [], START, START) == []
    assert shifts(ABC, [], START, START - US) == []


def test_assignments_merge_the_stretches_of_one_shift_per_role():
    cover = override("secondary", START + timedelta(days=2), START + timedelta(days=3), 7)
    listing = shifts(ABC, [cover], START, START + timedelta(days=14))
    assert assignments(listing, Role.PRIMARY) == [
        Assignment(Role.PRIMARY, 1, 0, START, START + timedelta(days=7)),
        Assignment(Role.PRIMARY, 2, 1, START + timedelta(days=7), START + timedelta(days=14)),
    ]
    assert [(a.person, a.start) for a in assignments(listing, Role.SECONDARY)] == [
        (2, START),
        (7, START + timedelta(days=2)),
        (2, START + timedelta(days=3)),
        (3, START + timedelta(days=7)),
    ]


# ---------------------------------------------------------------- bad input


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="at: a naive datetime"):
        who(ABC, [], datetime(2026, 12, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="start: a naive datetime"):
        rotation((1,), datetime(2026, 12, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="at: a naive datetime"):
        last_handoff(ABC, datetime(2026, 12, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"zone": "America/Nowhere"}, "zone: unknown time zone"),
        ({"weekday": 7}, "handoff_weekday"),
        ({"weeks": 0}, "weeks"),
        ({"clock": time(10, tzinfo=UTC)}, "handoff_time"),
    ],
)
def test_a_bad_rotation_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rotation((1,), START, **kwargs)


def test_an_override_must_end_after_it_starts():
    with pytest.raises(ValueError, match="end: must be after start"):
        override("primary", START, START, 7)


def test_shift_weeks_reads_whole_weeks_only():
    assert shift_weeks(timedelta(days=7)) == 1
    assert shift_weeks(timedelta(days=14)) == 2
    for bad in (timedelta(days=3), timedelta(days=10), timedelta(0)):
        with pytest.raises(ValueError, match="whole number of weeks"):
            shift_weeks(bad)


# ------------------------------------------------------- one person, one role


def test_an_override_across_the_handoff_never_makes_one_person_both_roles():
    # ana 1, beto 2, carla 3; carla covers primary Sun 20:00 -> Mon 14:00 across beto's handoff
    cover = override("primary", local(2026, 12, 6, 20), local(2026, 12, 7, 14), 3, covered=1)
    assert who(ABC, [cover], local(2026, 12, 6, 21)) == OnCallNow(
        3, 2, utc(2026, 12, 7, 2), START + timedelta(days=7)
    )
    # Mon 10:00: beto's week, whose secondary is carla; carla is primary, so the secondary is
    # the next member in rotation order after carla's place who is not the primary: ana
    assert who(ABC, [cover], local(2026, 12, 7, 10)) == OnCallNow(
        3, 1, START + timedelta(days=7), utc(2026, 12, 7, 20)
    )
    assert who(ABC, [cover], local(2026, 12, 7, 14)) == OnCallNow(
        2, 3, utc(2026, 12, 7, 20), START + timedelta(days=14)
    )


def test_a_secondary_override_naming_the_primary_leaves_the_rotation_s_secondary():
    cover = override("secondary", START, START + timedelta(days=1), 1)
    assert who(ABC, [cover], START).secondary == 2


def test_a_second_layer_walks_its_own_order_past_the_primary():
    rot = rotation((1, 2), START, second_layer=(7, 8))
    cover = override("primary", START, START + timedelta(days=1), 7)
    assert (who(rot, [cover], START).primary, who(rot, [cover], START).secondary) == (7, 8)


def test_nobody_else_to_be_secondary_leaves_the_role_empty():
    one = rotation((1,), START)
    cover = override("secondary", START, START + timedelta(days=1), 1)
    assert (who(one, [cover], START).primary, who(one, [cover], START).secondary) == (1, None)
    before = override("primary", START - timedelta(days=2), START - timedelta(days=1), 5)
    twice = override("secondary", START - timedelta(days=2), START - timedelta(days=1), 5)
    at = START - timedelta(hours=36)
    assert (who(ABC, [before, twice], at).primary, who(ABC, [before, twice], at).secondary) == (
        5,
        None,
    )
