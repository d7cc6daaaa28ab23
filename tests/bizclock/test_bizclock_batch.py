"""The batch forms ``add_many`` / ``elapsed_many`` agree exactly with the scalar forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

import numpy as np
import pytest
from bizclock_support import iso

from soporte.bizclock import BusinessCalendar, CalendarSpec, Window, from_micros, to_micros
from soporte.policy import default_policy

N = 4000
LO = to_micros(iso("1990-01-01T00:00:00+00:00"))
HI = to_micros(iso("2040-12-31T00:00:00+00:00"))
HOUR = 3600 * 10**6


def default_calendar() -> BusinessCalendar:
    return BusinessCalendar(default_policy().calendar_spec)


def new_york_calendar() -> BusinessCalendar:
    lunch = (Window(540, 780), Window(840, 1080))
    return BusinessCalendar(
        CalendarSpec("America/New_York", (lunch,) * 5 + ((Window(600, 840),), ()))
    )


CALENDARS = [default_calendar, new_york_calendar]


def random_instants(cal: BusinessCalendar, rng: np.random.Generator, n: int) -> np.ndarray:
    """Half uniform over 1990-2040, half within a microsecond of an opening or a close."""
    uniform = rng.integers(LO, HI, n - n // 2, dtype=np.int64)
    windows = cal.windows(from_micros(LO).date(), from_micros(HI).date())
    edges = np.array([to_micros(t) for w in windows for t in w], dtype=np.int64)
    near = rng.choice(edges, n // 2) + rng.integers(-1, 2, n // 2, dtype=np.int64)
    out = np.concatenate([uniform, near])
    rng.shuffle(out)
    return out


def random_durations(rng: np.random.Generator, n: int) -> np.ndarray:
    """Zeros, sub-hour, whole hours, and up to a few hundred business hours, in microseconds."""
    kind = rng.integers(0, 4, n)
    return np.select(
        [kind == 0, kind == 1, kind == 2],
        [
            np.zeros(n, dtype=np.int64),
            rng.integers(1, HOUR, n, dtype=np.int64),
            rng.integers(1, 100, n, dtype=np.int64) * HOUR,
        ],
        rng.integers(1, 400 * HOUR, n, dtype=np.int64),
    ).astype(np.int64)


def scalar_add(cal: BusinessCalendar, starts: np.ndarray, durations: np.ndarray) -> np.ndarray:
    return np.array(
        [
            to_micros(cal.add(from_micros(int(s), UTC), timedelta(microseconds=int(d))))
            for s, d in zip(starts, durations, strict=True)
        ],
        dtype=np.int64,
    )


def scalar_elapsed(cal: BusinessCalendar, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    return np.array(
        [
            cal.elapsed(from_micros(int(a), UTC), from_micros(int(b), UTC))
            // timedelta(microseconds=1)
            for a, b in zip(starts, ends, strict=True)
        ],
        dtype=np.int64,
    )


@pytest.mark.parametrize("make", CALENDARS)
def test_add_many_matches_add(make: Callable[[], BusinessCalendar]) -> None:
    rng = np.random.default_rng(20261130)
    probe = make()
    starts = random_instants(probe, rng, N)
    durations = random_durations(rng, N)
    assert (durations == 0).sum() > N // 10
    batch = make().add_many(starts, durations)  # a fresh calendar extends itself for the batch
    assert batch.dtype == np.int64
    assert batch.shape == starts.shape
    np.testing.assert_array_equal(batch, scalar_add(make(), starts, durations))
    # datetime64[us] / timedelta64[us] in, same microseconds out
    as_dt64 = make().add_many(starts.astype("datetime64[us]"), durations.astype("timedelta64[us]"))
    np.testing.assert_array_equal(as_dt64, batch)
    # and again on the (now built) same calendar
    np.testing.assert_array_equal(probe.add_many(starts, durations), batch)


@pytest.mark.parametrize("make", CALENDARS)
def test_elapsed_many_matches_elapsed(make: Callable[[], BusinessCalendar]) -> None:
    rng = np.random.default_rng(7)
    cal = make()
    starts = random_instants(cal, rng, N)
    spans = random_durations(rng, N) * rng.choice([-1, 1, 1, 1, 1], N)  # some reversed, some 0
    ends = starts + spans
    ends[:50] = starts[:50]
    batch = make().elapsed_many(starts, ends)
    assert batch.dtype == np.int64
    assert (batch[spans <= 0] == 0).all()
    np.testing.assert_array_equal(batch, scalar_elapsed(make(), starts, ends))
    as_dt64 = make().elapsed_many(starts.astype("datetime64[us]"), ends.astype("datetime64[us]"))
    np.testing.assert_array_equal(as_dt64, batch)


@pytest.mark.parametrize("make", CALENDARS)
def test_batch_round_trip(make: Callable[[], BusinessCalendar]) -> None:
    rng = np.random.default_rng(11)
    cal = make()
    starts = random_instants(cal, rng, N)
    durations = random_durations(rng, N)
    due = cal.add_many(starts, durations)
    np.testing.assert_array_equal(cal.elapsed_many(starts, due), durations)
    positive = durations > 0
    short = cal.elapsed_many(starts[positive], due[positive] - 1)
    assert (short < durations[positive]).all()


def test_zero_durations_in_batch_roll_forward_like_next_open() -> None:
    cal = default_calendar()
    text = [
        "2026-11-30T08:59:59-06:00",
        "2026-11-30T09:00:00-06:00",
        "2026-11-30T12:00:00-06:00",
        "2026-11-30T17:59:59.999999-06:00",
        "2026-11-30T18:00:00-06:00",
        "2026-11-28T12:00:00-06:00",
        "2026-12-30T18:00:00-06:00",
    ]
    starts = np.array([to_micros(iso(t)) for t in text], dtype=np.int64)
    due = cal.add_many(starts, 0)  # a scalar duration broadcasts
    assert [from_micros(int(u), cal.zone).isoformat() for u in due] == [
        "2026-11-30T09:00:00-06:00",
        "2026-11-30T09:00:00-06:00",
        "2026-11-30T12:00:00-06:00",
        "2026-11-30T17:59:59.999999-06:00",
        "2026-12-01T09:00:00-06:00",
        "2026-11-30T09:00:00-06:00",
        "2027-01-04T09:00:00-06:00",
    ]
    assert [to_micros(cal.next_open(iso(t))) for t in text] == due.tolist()


def test_batch_accepts_python_objects_and_empty_arrays() -> None:
    cal = default_calendar()
    starts = [iso("2026-11-27T17:40:00-06:00"), iso("2026-11-30T09:00:00-06:00")]
    due = cal.add_many(starts, [timedelta(hours=1), timedelta(hours=9)])
    assert [from_micros(int(u), cal.zone).isoformat() for u in due] == [
        "2026-11-30T09:40:00-06:00",
        "2026-11-30T18:00:00-06:00",
    ]
    elapsed = cal.elapsed_many(
        starts, [iso("2026-11-30T09:40:00-06:00"), iso("2026-11-30T18:00:00-06:00")]
    )
    assert elapsed.tolist() == [HOUR, 9 * HOUR]
    empty = np.array([], dtype=np.int64)
    assert cal.add_many(empty, empty).shape == (0,)
    assert cal.elapsed_many(empty, empty).shape == (0,)
    with pytest.raises((TypeError, ValueError)):
        cal.add_many(["2026-11-30"], [0])  # strings are not instants
    with pytest.raises(TypeError, match="expected datetimes"):
        cal.add_many([iso("2026-11-30T09:00:00-06:00"), "2026-11-30"], [0, 0])


def test_batch_far_from_what_was_built() -> None:
    """A batch reaching decades before and after the built range extends the calendar both ways."""
    cal = default_calendar()
    cal.add(iso("2026-11-30T09:00:00-06:00"), timedelta(hours=1))
    starts = np.array(
        [to_micros(iso(t)) for t in ("1950-06-05T08:00:00-05:00", "2100-03-01T17:30:00-06:00")],
        dtype=np.int64,
    )
    due = cal.add_many(starts, np.array([HOUR, HOUR], dtype=np.int64))
    assert [from_micros(int(u), cal.zone).isoformat() for u in due] == [
        "1950-06-05T10:00:00-05:00",  # a Monday, summer time that year
        "2100-03-02T09:30:00-06:00",  # Mon 1 Mar 2100 17:30 + 1 bh
    ]
