"""Business time: calendars of opening hours, holidays and closures, and exact arithmetic on them.

Pure Python (no Django, no clock reads): every instant is a parameter.
"""

from soporte.bizclock.calendar import BusinessCalendar, ClosedPeriod, Holiday
from soporte.bizclock.micros import from_micros, to_micros
from soporte.bizclock.rules import (
    WEEKDAYS,
    CalendarSpec,
    Closure,
    EasterOffset,
    FixedDate,
    HolidayRule,
    Names,
    NthWeekday,
    Window,
    display_name,
)
from soporte.bizclock.wall import Clock, WallClock

__all__ = [
    "WEEKDAYS",
    "BusinessCalendar",
    "CalendarSpec",
    "Clock",
    "ClosedPeriod",
    "Closure",
    "EasterOffset",
    "FixedDate",
    "Holiday",
    "HolidayRule",
    "Names",
    "NthWeekday",
    "WallClock",
    "Window",
    "display_name",
    "from_micros",
    "to_micros",
]
