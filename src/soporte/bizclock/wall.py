"""Wall-clock time for 24/7 targets, with the same interface as :class:`BusinessCalendar`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from soporte.bizclock.years import instant, offset


class Clock(Protocol):
    """What an SLA clock needs: add a target to a start, measure time between two instants."""

    zone: ZoneInfo

    def add(self, start: datetime, duration: timedelta) -> datetime: ...

    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...


class WallClock:
    """Every instant counts: nights, weekends and holidays included."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def add(self, start: datetime, duration: timedelta) -> datetime:
        if duration < timedelta(0):
            raise ValueError(f"cannot add a negative duration ({duration})")
        return instant(offset(start) + duration, self.zone)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        return max(offset(end) - offset(start), timedelta(0))
