"""What a report counts: a period of days (Mexico City calendar, both ends included) and the
optional plan, severity, tier, channel and organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Filters:
    start: date
    end: date
    """The last day counted (inclusive)."""
    plan: str = ""
    severity: str = ""
    tier: str = ""
    channel: str = ""
    organisation: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
