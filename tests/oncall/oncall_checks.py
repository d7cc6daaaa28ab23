"""Checks that the rotation math agrees with the naive reference at given instants."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta

from oncall_reference import MICRO, Reference, ReferenceOverride

from soporte.oncall.domain import Override, Role, Rotation, Shift, shifts, who

START = datetime(2026, 11, 30, 16, tzinfo=UTC)
"""Mon 30 Nov 2026 10:00 CST: the fixtures' rotation starts here (a handoff)."""


def reference_for(
    rotation: Rotation, overrides: Sequence[Override], lo: datetime, hi: datetime
) -> Reference:
    """A reference for the same rotation, its handoffs listed well around ``[lo, hi]``."""
    first = min(lo, rotation.start) - timedelta(days=7 * rotation.weeks + 10)
    last = max(hi, rotation.start) + timedelta(days=7 * rotation.weeks + 10)
    return Reference(
        members=rotation.members,
        zone=rotation.zone,
        weekday=rotation.handoff_weekday,
        clock=rotation.handoff_time,
        start=rotation.start,
        second_layer=rotation.second_layer,
        weeks=rotation.weeks,
        overrides=[
            ReferenceOverride(o.role.value, o.start, o.end, o.covering, (o.created_at, o.id))
            for o in overrides
        ],
        first=first.date(),
        last=last.date(),
    )


def probes(
    lo: datetime, hi: datetime, step: timedelta, edges: Iterable[datetime]
) -> list[datetime]:
    """Every ``step`` from ``lo`` to before ``hi``, plus each edge and the microsecond around it."""
    out = set()
    t = lo
    while t < hi:
        out.add(t)
        t += step
    for edge in edges:
        out.update(x for x in (edge - MICRO, edge, edge + MICRO) if lo <= x < hi)
    return sorted(out)


def edges_of(rotation: Rotation, overrides: Sequence[Override], ref: Reference) -> list[datetime]:
    return [
        *ref.boundaries,
        rotation.start,
        *(o.start for o in overrides),
        *(o.end for o in overrides),
    ]


def check_who(rotation: Rotation, overrides: Sequence[Override], ref: Reference, at: datetime):
    """``who`` at ``at``: the reference's holders, and the bounds of a maximal stretch of one
    rotation shift during which they do not change."""
    now = who(rotation, overrides, at)
    pair = ref.pair(at)
    assert (now.primary, now.secondary) == pair, at
    assert now.shift_start <= at < now.shift_end, at
    assert now.shift_start.tzinfo is UTC
    assert now.shift_end.tzinfo is UTC
    assert ref.pair(now.shift_start) == pair, at
    assert ref.pair(now.shift_end - MICRO) == pair, at
    assert not ref.handoff_between(now.shift_start, now.shift_end), at
    for bound in (now.shift_start, now.shift_end):
        assert ref.is_handoff(bound) or ref.pair(bound - MICRO) != ref.pair(bound), (at, bound)
    return now


def walk(
    rotation: Rotation,
    overrides: Sequence[Override],
    lo: datetime,
    hi: datetime,
    step: timedelta,
) -> int:
    """Check ``who`` at every probe of ``[lo, hi)`` and ``shifts`` over the whole range;
    return the number of instants checked."""
    ref = reference_for(rotation, overrides, lo, hi)
    instants = probes(lo, hi, step, edges_of(rotation, overrides, ref))
    listing = shifts(rotation, overrides, lo, hi)
    check_listing(listing, lo, hi)
    starts = [piece.start for piece in listing]
    previous = None
    for at in instants:
        now = check_who(rotation, overrides, ref, at)
        if previous is not None and previous.shift_end > at:
            assert now == previous, at  # one stretch, one answer
        previous = now
        piece = listing[bisect.bisect_right(starts, at) - 1]
        assert (piece.primary, piece.secondary) == (now.primary, now.secondary), at
        assert (piece.start, piece.end) == (max(now.shift_start, lo), min(now.shift_end, hi)), at
        assert piece.index == ref_index(ref, rotation, at), at
    return len(instants)


def ref_index(ref: Reference, rotation: Rotation, at: datetime) -> int:
    """The rotation shift that contains ``at``, also before the start (negative)."""
    return bisect.bisect_right(ref.boundaries, at) - bisect.bisect_right(
        ref.boundaries, rotation.start
    )


def check_listing(pieces: Sequence[Shift], lo: datetime, hi: datetime) -> None:
    assert pieces, "a non-empty range has stretches"
    assert pieces[0].start == lo
    assert pieces[-1].end == hi
    for a, b in itertools.pairwise(pieces):
        assert a.end == b.start
        assert a.start < a.end
        # neighbours of one rotation shift differ, or they would be one stretch
        same = (a.primary, a.secondary) == (b.primary, b.secondary)
        assert not (same and a.index == b.index), (a, b)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rotation(
    members: tuple[int, ...],
    start: datetime,
    *,
    zone: str = "America/Mexico_City",
    weekday: int = 0,
    clock: time = time(10),
    second_layer: tuple[int, ...] = (),
    weeks: int = 1,
) -> Rotation:
    return Rotation(members, zone, weekday, clock, start, second_layer, weeks)


def override(
    role: str,
    start: datetime,
    end: datetime,
    covering: int,
    *,
    created: datetime | None = None,
    covered: int | None = None,
    id: int = 0,
) -> Override:
    return Override(
        Role(role), start, end, covering, created or utc(2020, 1, 1), covered=covered, id=id
    )
