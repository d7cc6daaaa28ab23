"""Percentiles of a handful of durations (a period's page acknowledgements), by nearest rank:
the value itself, never an interpolation between two people's answers."""

from __future__ import annotations

import math
from collections.abc import Sequence


def nearest_rank(values: Sequence[float], percent: float) -> float | None:
    """The smallest value with at least ``percent`` % of ``values`` at or below it; ``None``
    for no values. ``percent`` is in ``(0, 100]``."""
    if not 0 < percent <= 100:
        raise ValueError(f"percent must be in (0, 100], not {percent}")
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(percent / 100 * len(ordered)) - 1]
