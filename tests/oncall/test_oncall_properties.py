"""Property tests: random rotations, overrides and instants against the naive reference."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from oncall_checks import check_listing, check_who, reference_for

from soporte.oncall.domain import Override, Role, Rotation, shifts

ZONES = [
    "America/Mexico_City",
    "America/Tijuana",
    "Europe/Madrid",
    "Australia/Lord_Howe",  # half-hour daylight saving
    "UTC",
]
LO = datetime(2019, 1, 1, tzinfo=UTC)
HI = datetime(2031, 1, 1, tzinfo=UTC)

instants = st.datetimes(
    min_value=LO.replace(tzinfo=None), max_value=HI.replace(tzinfo=None), timezones=st.just(UTC)
)
people = st.integers(min_value=1, max_value=6)


@st.composite
def rotations(draw: st.DrawFn) -> Rotation:
    return Rotation(
        members=tuple(draw(st.lists(people, max_size=4))),
        zone=draw(st.sampled_from(ZONES)),
        handoff_weekday=draw(st.integers(0, 6)),
        handoff_time=time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 59]))),
        start=draw(instants),
        second_layer=tuple(draw(st.lists(people, max_size=3))),
        weeks=draw(st.integers(1, 3)),
    )


@st.composite
def overrides_near(draw: st.DrawFn, at: datetime) -> list[Override]:
    out = []
    for i in range(draw(st.integers(0, 4))):
        start = at + timedelta(minutes=draw(st.integers(-30 * 24 * 60, 30 * 24 * 60)))
        length = timedelta(minutes=draw(st.integers(1, 20 * 24 * 60)))
        out.append(
            Override(
                draw(st.sampled_from(list(Role))),
                start,
                start + length,
                draw(people),
                created_at=draw(instants),
                id=i,
            )
        )
    return out


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_who_agrees_with_the_reference(data):
    rotation = data.draw(rotations())
    at = data.draw(instants)
    overrides = data.draw(overrides_near(at))
    ref = reference_for(rotation, overrides, at - timedelta(days=40), at + timedelta(days=40))
    check_who(rotation, overrides, ref, at)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_shifts_tile_the_range_and_agree_with_the_reference(data):
    rotation = data.draw(rotations())
    lo = data.draw(instants)
    hi = lo + timedelta(minutes=data.draw(st.integers(1, 60 * 24 * 60)))
    overrides = data.draw(overrides_near(lo))
    listing = shifts(rotation, overrides, lo, hi)
    check_listing(listing, lo, hi)
    ref = reference_for(rotation, overrides, lo, hi)
    for piece in listing:
        assert (piece.primary, piece.secondary) == ref.pair(piece.start)
        assert (piece.primary, piece.secondary) == ref.pair(piece.end - timedelta(microseconds=1))
