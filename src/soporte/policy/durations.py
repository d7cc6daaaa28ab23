"""Durations as people write them in the policy: ``4 bh``, ``1 bd``, ``15 min 24/7``, ``same bd``.

A duration counts business time unless it ends in ``24/7`` (then it counts wall-clock time).
``bd`` is a business day, whose length the calendar fixes (9 business hours by default), so
parsing needs that length. ``same bd`` is the Slack Connect target: due at the close of the
business day on which the message arrived (READING.md §3).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import timedelta


class Basis(enum.Enum):
    """What a target counts."""

    BUSINESS = "business"
    WALL = "wall"
    SAME_BUSINESS_DAY = "same_business_day"


@dataclass(frozen=True, slots=True)
class Target:
    """A response target: an amount of business or wall-clock time, or "same business day"."""

    basis: Basis
    amount: timedelta
    text: str

    @property
    def is_24_7(self) -> bool:
        return self.basis is Basis.WALL

    def __str__(self) -> str:
        return self.text


class DurationError(ValueError):
    """A duration the policy cannot read; the message says why."""


_UNITS: dict[str, timedelta] = {
    "s": timedelta(seconds=1),
    "sec": timedelta(seconds=1),
    "min": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "bh": timedelta(hours=1),
    "d": timedelta(days=1),
}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_SAME_DAY = {"same bd", "same business day"}


def parse_duration(text: str, *, business_day: timedelta) -> Target:
    """Read ``text`` into a :class:`Target`; raise :class:`DurationError` naming the fault."""
    raw = " ".join(str(text).split()).lower()
    if raw in _SAME_DAY:
        return Target(Basis.SAME_BUSINESS_DAY, timedelta(0), raw)
    wall = raw.endswith("24/7")
    body = raw.removesuffix("24/7").strip()
    if not body:
        raise DurationError(
            f"{text!r} is not a duration (expected e.g. '4 bh', '1 bd', '15 min 24/7')"
        )
    amount = timedelta(0)
    position = 0
    for match in _PART.finditer(body):
        if body[position : match.start()].strip():
            break
        number, unit = float(match.group(1)), match.group(2)
        if unit == "bd":
            if wall:
                raise DurationError(f"{text!r}: a business day ('bd') cannot be 24/7")
            amount += business_day * number
        elif unit in _UNITS:
            if unit == "bh" and wall:
                raise DurationError(f"{text!r}: 'bh' counts business hours, not 24/7 time")
            if unit == "d" and not wall:
                raise DurationError(f"{text!r}: whole days ('d') need '24/7'; use 'bd'")
            amount += _UNITS[unit] * number
        else:
            raise DurationError(
                f"{text!r}: unknown unit {unit!r} (known: s, min, h, bh, bd, d with 24/7, same bd)"
            )
        position = match.end()
    if position != len(body):
        raise DurationError(
            f"{text!r} is not a duration (expected e.g. '4 bh', '1 bd', '15 min 24/7')"
        )
    if amount < timedelta(0):
        raise DurationError(f"{text!r}: a duration cannot be negative")
    return Target(Basis.WALL if wall else Basis.BUSINESS, amount, raw)
