"""Brute force: walk time in small steps and compare with the naive reference.

Each walk probes every 7-13 minutes over months, plus every handoff, rotation start and
override edge and the microsecond on either side of it, and checks ``who`` (holders and the
bounds of the stretch) and ``shifts`` (the same stretches, clipped to the range).
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from oncall_checks import override, rotation, utc, walk

STEP = timedelta(minutes=7, seconds=17)  # drifts across the hour: probes every minute offset


def test_mexico_city_over_the_year_end_with_overrides_and_a_swap():
    # Mon 30 Nov 2026 10:00 CST = 16:00 UTC
    rot = rotation((1, 2, 3), utc(2026, 11, 30, 16))
    overrides = [
        # covers a primary across a handoff (Mon 7 Dec 10:00 CST)
        override("primary", utc(2026, 12, 5, 3), utc(2026, 12, 8, 2, 30), 7),
        # a secondary override on New Year's Eve, across midnight and the year end
        override("secondary", utc(2026, 12, 31, 20), utc(2027, 1, 1, 9), 8),
        # overlapping overrides: the one created later wins where both apply
        override("primary", utc(2027, 1, 12), utc(2027, 1, 14), 4, created=utc(2026, 12, 2)),
        override("primary", utc(2027, 1, 13), utc(2027, 1, 15), 5, created=utc(2026, 12, 1)),
        # a swap: 1 takes 3's week (14 Dec), 3 takes 1's week (4 Jan)
        override("primary", utc(2026, 12, 14, 16), utc(2026, 12, 21, 16), 1, covered=3),
        override("primary", utc(2027, 1, 4, 16), utc(2027, 1, 11, 16), 3, covered=1),
        # starts before the rotation does
        override("secondary", utc(2026, 11, 28), utc(2026, 12, 1), 9),
    ]
    assert walk(rot, overrides, utc(2026, 11, 20), utc(2027, 3, 3), STEP) > 20_000


def test_mexico_city_while_it_still_observed_daylight_saving():
    # 2022: CDT from Sun 3 Apr to Sun 30 Oct; the rotation started Mon 7 Mar 10:00 CST
    rot = rotation((1, 2, 3, 4), utc(2022, 3, 7, 16))
    overrides = [override("primary", utc(2022, 4, 2, 12), utc(2022, 4, 5, 12), 9)]
    walk(rot, overrides, utc(2022, 3, 1), utc(2022, 5, 1), STEP)
    walk(rot, [], utc(2022, 10, 15), utc(2023, 1, 10), STEP)


@pytest.mark.parametrize(
    ("zone", "weekday", "clock"),
    [
        ("America/Tijuana", 6, time(2, 30)),  # skipped on 8 Mar 2026
        ("America/Tijuana", 6, time(1, 30)),  # twice on 1 Nov 2026
        ("Europe/Madrid", 6, time(2, 30)),  # skipped on 29 Mar, twice on 25 Oct 2026
        ("Europe/Madrid", 0, time(10)),  # 167 h and 169 h shifts
    ],
)
def test_a_zone_with_daylight_saving(zone, weekday, clock):
    rot = rotation((1, 2, 3), utc(2026, 1, 5, 12), zone=zone, weekday=weekday, clock=clock)
    overrides = [
        # an override across the spring change, one ending inside the autumn change's hour
        override("primary", utc(2026, 3, 7, 12), utc(2026, 3, 9, 12), 7),
        override("secondary", utc(2026, 10, 24, 22), utc(2026, 10, 25, 1, 15), 8),
        override("secondary", utc(2026, 11, 1, 6), utc(2026, 11, 1, 10, 30), 8),
    ]
    walk(rot, overrides, utc(2026, 2, 20), utc(2026, 4, 15), STEP)
    walk(rot, overrides, utc(2026, 10, 10), utc(2026, 11, 20), STEP)


def test_two_week_shifts_with_a_second_layer_and_a_mid_week_start():
    # starts on a Thursday: shift 0 runs from the start to the handoff after it
    rot = rotation(
        (1, 2, 3),
        utc(2026, 3, 12, 15, 45),
        zone="Europe/Madrid",
        second_layer=(10, 11),
        weeks=2,
    )
    overrides = [override("secondary", utc(2026, 4, 1), utc(2026, 4, 30), 12)]
    walk(rot, overrides, utc(2026, 2, 25), utc(2026, 7, 1), STEP)


@pytest.mark.parametrize("members", [(), (5,), (5, 6)])
def test_small_rotations(members):
    rot = rotation(members, utc(2026, 12, 21, 16))
    overrides = [
        override("primary", utc(2026, 12, 24), utc(2026, 12, 26), 9),
        override("secondary", utc(2026, 12, 30), utc(2027, 1, 2), 9),
    ]
    walk(rot, overrides, utc(2026, 12, 10), utc(2027, 2, 5), timedelta(minutes=13))
