"""What the service-level reports count, as pure rules: a clock's outcome, the business-time
buckets of the time distributions and their percentiles, and compliance (docs/reports.md).

A distribution is kept as counts per bucket (the daily aggregates add them up), so a
percentile is read from the buckets: the upper edge of the bucket that holds it. That is exact
for the buckets ("half the tickets were answered within 2 h"), whatever the number of tickets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum

HOUR = 3600


class Outcome(StrEnum):
    """A response clock as a report counts it (``sla.domain.ClockStatus`` folded): answered in
    time, answered late, past its target unanswered, or still within its target."""

    MET = "met"
    MISSED = "missed"
    BREACHED = "breached"
    RUNNING = "running"


EDGES: tuple[int, ...] = (
    15 * 60,
    30 * 60,
    HOUR,
    2 * HOUR,
    4 * HOUR,
    9 * HOUR,
    18 * HOUR,
    45 * HOUR,
)
"""Upper edges (exclusive) of the distributions' buckets, in business seconds: 15 min, 30 min,
1 h, 2 h, 4 h, 1 business day (9 h), 2 and 5 business days; the last bucket is open."""

BUCKETS = len(EDGES) + 1
HOURS = 24


def bucket_of(seconds: int) -> int:
    """The bucket a duration of ``seconds`` (business time, not negative) falls in."""
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    for index, edge in enumerate(EDGES):
        if seconds < edge:
            return index
    return len(EDGES)


def percentile(counts: Sequence[int], share: float) -> int | None:
    """The upper edge (seconds) of the bucket holding the ``share`` percentile (nearest rank:
    the ⌈share × n⌉-th smallest); None with no durations or when it lies in the open bucket."""
    if len(counts) != BUCKETS:
        raise ValueError(f"expected {BUCKETS} bucket counts, got {len(counts)}")
    total = sum(counts)
    if total == 0:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for index, count in enumerate(counts):
        seen += count
        if seen >= rank:
            return EDGES[index] if index < len(EDGES) else None
    return None


def compliance(met: int, missed: int, breached: int) -> float | None:
    """Per cent of the decided clocks that were met (running ones are not decided yet), one
    decimal; None when none is decided."""
    return share(met, met + missed + breached)


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in per cent, one decimal; None of nothing."""
    return round(100 * part / whole, 1) if whole else None
