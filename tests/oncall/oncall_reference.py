"""A naive reference for rotation math, written from the rules, not from the implementation.

It lists every handoff of a date range one local day at a time, resolves a local wall time by
trying every UTC offset the zone uses nearby (a time that exists twice takes its first
occurrence; a time the clocks skip takes the offset in force before the jump), counts the
handoffs since the rotation's start to find the shift, and scans every override for each role;
where one person ends up in both roles, it lists the secondaries' order from the secondary's
place and takes the first who is not the primary.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MICRO = timedelta(microseconds=1)


def resolve(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local ``day clock`` in ``zone``."""
    wall = datetime.combine(day, clock)
    as_utc = wall.replace(tzinfo=UTC)
    offsets = {
        offset
        for hours in range(-30, 31, 3)
        if (offset := (as_utc + timedelta(hours=hours)).astimezone(zone).utcoffset()) is not None
    }
    matches = [
        as_utc - offset
        for offset in offsets
        if (as_utc - offset).astimezone(zone).replace(tzinfo=None) == wall
    ]
    if matches:
        return min(matches)
    before = (as_utc - timedelta(days=1)).astimezone(zone).utcoffset()
    assert before is not None
    return as_utc - before


@dataclass
class ReferenceOverride:
    role: str  # "primary" or "secondary"
    start: datetime
    end: datetime
    covering: int
    rank: tuple[datetime, int]


class Reference:
    """Who holds each role at any instant of ``[first, last]`` (local dates, generous)."""

    def __init__(
        self,
        *,
        members: tuple[int, ...],
        zone: str,
        weekday: int,
        clock: time,
        start: datetime,
        second_layer: tuple[int, ...] = (),
        weeks: int = 1,
        overrides: list[ReferenceOverride] | None = None,
        first: date,
        last: date,
    ) -> None:
        tz = ZoneInfo(zone)
        weekly: list[datetime] = []
        day = first
        while day <= last:
            if day.weekday() == weekday:
                weekly.append(resolve(day, clock, tz))
            day += timedelta(days=1)
        anchor = max(i for i, h in enumerate(weekly) if h <= start)
        # every `weeks`-th weekly handoff, counted from the anchor, both ways
        self.boundaries = [h for i, h in enumerate(weekly) if (i - anchor) % weeks == 0]
        self.start = start
        self.members = members
        self.second_layer = second_layer
        self.overrides = overrides or []
        self.first_covered = weekly[0]
        self.last_covered = weekly[-1]

    def shift_index(self, at: datetime) -> int:
        """Handoffs in ``(start, at]``: 0 in the shift that contains the start."""
        assert self.first_covered <= at < self.last_covered, "outside the reference's range"
        return bisect.bisect_right(self.boundaries, at) - bisect.bisect_right(
            self.boundaries, self.start
        )

    def pair(self, at: datetime) -> tuple[int | None, int | None]:
        primary: int | None = None
        secondary: int | None = None
        if at >= self.start:
            k = self.shift_index(at)
            n = len(self.members)
            if n:
                primary = self.members[k % n]
            if self.second_layer:
                secondary = self.second_layer[k % len(self.second_layer)]
            elif n >= 2:
                secondary = self.members[(k + 1) % n]
        for role in ("primary", "secondary"):
            live = [o for o in self.overrides if o.role == role and o.start <= at < o.end]
            if live:
                winner = max(live, key=lambda o: o.rank).covering
                if role == "primary":
                    primary = winner
                else:
                    secondary = winner
        if secondary is not None and secondary == primary:
            secondary = None  # one person, one role: the next in the secondaries' order
            if at >= self.start:
                k = self.shift_index(at)
                if self.second_layer:
                    order = list(self.second_layer[k % len(self.second_layer) :])
                    order += self.second_layer[: k % len(self.second_layer)]
                else:
                    n = len(self.members)
                    order = [self.members[(k + 1 + j) % n] for j in range(n)]
                secondary = next((p for p in order if p != primary), None)
        return primary, secondary

    def is_handoff(self, at: datetime) -> bool:
        i = bisect.bisect_left(self.boundaries, at)
        return i < len(self.boundaries) and self.boundaries[i] == at

    def handoff_between(self, lo: datetime, hi: datetime) -> bool:
        """A handoff strictly inside ``(lo, hi)``."""
        return bisect.bisect_right(self.boundaries, lo) < bisect.bisect_left(self.boundaries, hi)
