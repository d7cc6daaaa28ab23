"""Who is on call: weekly rotations with a primary and a secondary, and overrides.

A rotation hands off at a local wall time (``mon 10:00`` in ``America/Mexico_City`` by
default) every ``weeks`` weeks. Its *grid* is the sequence of handoff instants; the grid shift
that contains the rotation's ``start`` has index 0, the next one index 1, and so on. Shift
``k`` belongs to ``members[k % len(members)]`` (primary) and to the second layer's
``k``-th member, or, without a second layer, to the next member (secondary). Before ``start``
nobody is on call from the rotation.

An override puts someone in a role (primary or secondary) for ``[start, end)``, whoever the
rotation names; of several overrides in force for a role, the one created last wins. A swap is
two overrides.

One person never holds both roles: where an override makes the primary also the secondary, the
secondary is the next member in the secondaries' order (from the secondary's place in the shift)
who is not the primary, or nobody if there is none.

Handoffs follow local wall time, so a shift in a zone with daylight saving lasts 167 or 169
hours across a change. A handoff time that does not exist on a given day (the clocks jump over
it) or exists twice (the clocks go back over it) resolves as ``zoneinfo`` resolves ``fold=0``:
with the offset in force before the change (docs/readings.md).

Every function takes aware datetimes and returns aware datetimes in UTC.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Person = int
"""Whoever may be on call, by id (an agent's primary key outside this module)."""

WEEK = timedelta(days=7)


class Role(enum.Enum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


@dataclass(frozen=True, slots=True)
class Rotation:
    """An ordered rotation of members, with its handoff (local wall time) and start anchor."""

    members: tuple[Person, ...]
    zone: str
    handoff_weekday: int
    """Monday is 0, as :meth:`datetime.weekday` counts."""
    handoff_time: time
    start: datetime
    """Nobody is on call from the rotation before this instant; shift 0 contains it."""
    second_layer: tuple[Person, ...] = ()
    """Secondaries in their own order; empty: the secondary is the next member."""
    weeks: int = 1
    """Length of a shift in weeks."""

    def __post_init__(self) -> None:
        _require_aware(self.start, "start")
        if not 0 <= self.handoff_weekday <= 6:
            raise ValueError(
                f"handoff_weekday: expected 0 (Monday) to 6, got {self.handoff_weekday}"
            )
        if self.handoff_time.tzinfo is not None:
            raise ValueError("handoff_time: a local wall time, without tzinfo")
        if self.weeks < 1:
            raise ValueError(f"weeks: expected at least 1, got {self.weeks}")
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"zone: unknown time zone {self.zone!r}") from None


@dataclass(frozen=True, slots=True)
class Override:
    """``covering`` holds ``role`` during ``[start, end)``; the latest created wins."""

    role: Role
    start: datetime
    end: datetime
    covering: Person
    created_at: datetime
    covered: Person | None = None
    """Whom the override relieves, for people to read; it applies whoever the rotation names."""
    id: int = 0
    """Breaks ties between overrides created at the same instant (higher wins)."""

    def __post_init__(self) -> None:
        _require_aware(self.start, "start")
        _require_aware(self.end, "end")
        _require_aware(self.created_at, "created_at")
        if self.end <= self.start:
            raise ValueError("end: must be after start")

    @property
    def precedence(self) -> tuple[datetime, int]:
        return (self.created_at, self.id)


@dataclass(frozen=True, slots=True)
class OnCallNow:
    """Who holds each role at an instant, and the stretch during which both stay the same.

    ``shift_start``/``shift_end`` bound the stretch of one rotation shift during which neither
    the primary nor the secondary changes (an override starting or ending cuts it).
    """

    primary: Person | None
    secondary: Person | None
    shift_start: datetime
    shift_end: datetime


@dataclass(frozen=True, slots=True)
class Shift:
    """A stretch ``[start, end)`` of rotation shift ``index`` with constant holders."""

    index: int
    start: datetime
    end: datetime
    primary: Person | None
    secondary: Person | None

    def holder(self, role: Role) -> Person | None:
        return self.primary if role is Role.PRIMARY else self.secondary


@dataclass(frozen=True, slots=True)
class Assignment:
    """One person in one role for ``[start, end)``, within rotation shift ``index``."""

    role: Role
    person: Person
    index: int
    start: datetime
    end: datetime


def who(rotation: Rotation, overrides: Iterable[Override], at: datetime) -> OnCallNow:
    """The primary and secondary at ``at`` (``None`` for nobody), overrides applied."""
    _require_aware(at, "at")
    at = at.astimezone(UTC)
    grid = _Grid(rotation)
    for piece in _pieces(rotation, _ordered(overrides), grid.shift_at(at)):
        if piece.start <= at < piece.end:
            return OnCallNow(piece.primary, piece.secondary, piece.start, piece.end)
    raise AssertionError("the pieces of a shift cover it")  # pragma: no cover


def shifts(
    rotation: Rotation, overrides: Iterable[Override], start: datetime, end: datetime
) -> list[Shift]:
    """Contiguous stretches covering ``[start, end)``, in order, cut at handoffs, at the
    rotation's start and where overrides begin or end (stretches with nobody included)."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return []
    relevant = [o for o in _ordered(overrides) if o.start < end and o.end > start]
    grid = _Grid(rotation)
    out: list[Shift] = []
    week = grid.shift_at(start)
    while week.start < end:
        for piece in _pieces(rotation, relevant, week):
            lo, hi = max(piece.start, start), min(piece.end, end)
            if lo < hi:
                out.append(replace(piece, start=lo, end=hi))
        week = grid.shift(week.index + 1)
    return out


def assignments(stretches: Sequence[Shift], role: Role) -> list[Assignment]:
    """Who holds ``role`` in ``stretches`` (as :func:`shifts` returns them), one entry per
    person and rotation shift: neighbouring stretches of one shift with the same holder merge."""
    out: list[Assignment] = []
    for piece in stretches:
        person = piece.holder(role)
        if person is None:
            continue
        last = out[-1] if out else None
        if last and (last.person, last.index, last.end) == (person, piece.index, piece.start):
            out[-1] = replace(last, end=piece.end)
        else:
            out.append(Assignment(role, person, piece.index, piece.start, piece.end))
    return out


def handoff_instant(rotation: Rotation, day: date) -> datetime:
    """The handoff on local date ``day`` (whatever its weekday), in UTC; ``fold=0``."""
    local = datetime.combine(day, rotation.handoff_time, tzinfo=ZoneInfo(rotation.zone))
    return local.astimezone(UTC)


def last_handoff(rotation: Rotation, at: datetime) -> datetime:
    """The last weekly handoff at or before ``at``, in UTC, whatever the shift length."""
    _require_aware(at, "at")
    return handoff_instant(rotation, _last_handoff_day(rotation, at))


def shift_weeks(length: timedelta) -> int:
    """A policy's shift length (``7 d 24/7``) in whole weeks; anything else is refused."""
    weeks, rest = divmod(length, WEEK)
    if rest or weeks < 1:
        raise ValueError(f"shift: expected a whole number of weeks, got {length}")
    return int(weeks)


# ----------------------------------------------------------------------- internals


@dataclass(frozen=True, slots=True)
class _GridShift:
    index: int
    start: datetime
    end: datetime


class _Grid:
    """The rotation's handoff grid: shift ``k`` starts at the handoff ``k * weeks`` weeks
    after the last handoff at or before the rotation's start."""

    def __init__(self, rotation: Rotation) -> None:
        self.rotation = rotation
        self.anchor = _last_handoff_day(rotation, rotation.start)
        self.span = 7 * rotation.weeks

    def shift(self, index: int) -> _GridShift:
        first = self.anchor + timedelta(days=self.span * index)
        after = first + timedelta(days=self.span)
        return _GridShift(
            index, handoff_instant(self.rotation, first), handoff_instant(self.rotation, after)
        )

    def shift_at(self, at: datetime) -> _GridShift:
        weeks = (_last_handoff_day(self.rotation, at) - self.anchor).days // 7
        return self.shift(weeks // self.rotation.weeks)


def _last_handoff_day(rotation: Rotation, at: datetime) -> date:
    """The local date of the last weekly handoff at or before ``at``."""
    local = at.astimezone(ZoneInfo(rotation.zone))
    day = local.date() - timedelta(days=(local.weekday() - rotation.handoff_weekday) % 7)
    if handoff_instant(rotation, day) > at:
        day -= WEEK
    return day


def _pieces(rotation: Rotation, overrides: Sequence[Override], week: _GridShift) -> list[Shift]:
    """The stretches of one grid shift with constant holders (``overrides`` by precedence)."""
    relevant = [o for o in overrides if o.start < week.end and o.end > week.start]
    cuts = {week.start, week.end}
    edges = [rotation.start, *(o.start for o in relevant), *(o.end for o in relevant)]
    cuts.update(edge.astimezone(UTC) for edge in edges if week.start < edge < week.end)
    out: list[Shift] = []
    for lo, hi in pairwise(sorted(cuts)):
        primary, secondary = _holders(rotation, relevant, week.index, lo)
        last = out[-1] if out else None
        if last and (last.primary, last.secondary) == (primary, secondary):
            out[-1] = replace(last, end=hi)
        else:
            out.append(Shift(week.index, lo, hi, primary, secondary))
    return out


def _holders(
    rotation: Rotation, overrides: Sequence[Override], index: int, at: datetime
) -> tuple[Person | None, Person | None]:
    primary, secondary = _rotation_holders(rotation, index, at)
    for override in overrides:  # lowest precedence first: the last one in force wins
        if override.start <= at < override.end:
            if override.role is Role.PRIMARY:
                primary = override.covering
            else:
                secondary = override.covering
    if secondary is not None and secondary == primary:
        secondary = _next_secondary(rotation, index, primary) if at >= rotation.start else None
    return primary, secondary


def _next_secondary(rotation: Rotation, index: int, primary: Person) -> Person | None:
    """One person never holds both roles: the next member in the secondaries' order (the
    second layer's, or the members' from the one after the shift's primary) who is not the
    primary, or nobody."""
    order = rotation.second_layer or rotation.members
    first = index if rotation.second_layer else index + 1
    candidates = (order[(first + step) % len(order)] for step in range(len(order)))
    return next((person for person in candidates if person != primary), None)


def _rotation_holders(
    rotation: Rotation, index: int, at: datetime
) -> tuple[Person | None, Person | None]:
    if at < rotation.start:
        return None, None
    members, layer = rotation.members, rotation.second_layer
    primary = members[index % len(members)] if members else None
    if layer:
        secondary: Person | None = layer[index % len(layer)]
    elif len(members) > 1:
        secondary = members[(index + 1) % len(members)]
    else:
        secondary = None
    return primary, secondary


def _ordered(overrides: Iterable[Override]) -> list[Override]:
    return sorted(overrides, key=lambda o: o.precedence)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name}: a naive datetime; pass an aware one (UTC or with its zone)")
