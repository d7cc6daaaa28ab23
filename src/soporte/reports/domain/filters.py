"""What a report counts: a period of days (Mexico City calendar, both ends included) and the
optional plan, severity, tier, channel and organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Filters:
    start: date
    end: date
    """The last day counted (inclusive)."""
    plan: str = ""
    severity: str = ""
    tier: str = ""
    channel: str = ""
    organisation: UUID | None = None
    """The organisation's ID (``accounts.Organisation`` keys are UUIDs)."""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
