"""Dates in words: the desk's one place for how a moment reads, in Spanish and English.

Three styles, one per context (``docs/readings.md``):

- ``long_when``: sentences sent to a customer (acknowledgements, emails):
  "lunes 30 de noviembre de 2026, 09:00 CST" / "Monday 30 November 2026, 09:00 CST".
- ``short_when``: pages (console, portal, SLA explanations, the timeline):
  "lun 30 nov 2026, 09:00 CST" / "Mon 30 Nov 2026, 09:00 CST"; ``short_day`` for a day alone.
- ``weekday_time``: a moment within the coming week: "lun 09:00" / "Mon 09:00".

Spanish names are lowercase and months take "de", as Mexican Spanish writes them (Django's
own Spanish names capitalise months and abbreviations, so they are not used). The words are
looked up once per language: a page writes hundreds of these, the bulk loader thousands.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import get_language, override, pgettext, pgettext_lazy

_WEEKDAYS: tuple[Promise, ...] = (
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
)
_WEEKDAYS_SHORT: tuple[Promise, ...] = (
    pgettext_lazy("weekday, short", "Mon"),
    pgettext_lazy("weekday, short", "Tue"),
    pgettext_lazy("weekday, short", "Wed"),
    pgettext_lazy("weekday, short", "Thu"),
    pgettext_lazy("weekday, short", "Fri"),
    pgettext_lazy("weekday, short", "Sat"),
    pgettext_lazy("weekday, short", "Sun"),
)
_MONTHS: tuple[Promise, ...] = (
    pgettext_lazy("month", "January"),
    pgettext_lazy("month", "February"),
    pgettext_lazy("month", "March"),
    pgettext_lazy("month", "April"),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "June"),
    pgettext_lazy("month", "July"),
    pgettext_lazy("month", "August"),
    pgettext_lazy("month", "September"),
    pgettext_lazy("month", "October"),
    pgettext_lazy("month", "November"),
    pgettext_lazy("month", "December"),
)
_MONTHS_SHORT: tuple[Promise, ...] = (
    pgettext_lazy("month, short", "Jan"),
    pgettext_lazy("month, short", "Feb"),
    pgettext_lazy("month, short", "Mar"),
    pgettext_lazy("month, short", "Apr"),
    pgettext_lazy("month, short", "May"),
    pgettext_lazy("month, short", "Jun"),
    pgettext_lazy("month, short", "Jul"),
    pgettext_lazy("month, short", "Aug"),
    pgettext_lazy("month, short", "Sep"),
    pgettext_lazy("month, short", "Oct"),
    pgettext_lazy("month, short", "Nov"),
    pgettext_lazy("month, short", "Dec"),
)


def long_when(moment: datetime) -> str:
    """``moment`` (aware, in the zone to show) for a sentence a customer reads."""
    words = _words(get_language() or "")
    return words.long % {
        "weekday": words.weekdays[moment.weekday()],
        "day": moment.day,
        "month": words.months[moment.month - 1],
        "year": moment.year,
        "time": _time(moment),
        "zone": _zone(moment),
    }


def short_when(moment: datetime) -> str:
    """``moment`` (aware, in the zone to show) on a page."""
    words = _words(get_language() or "")
    return words.short % {
        "day": short_day(moment),
        "year": moment.year,
        "time": _time(moment),
        "zone": _zone(moment),
    }


def short_day(day: date) -> str:
    """``lun 30 nov`` / ``Mon 30 Nov``."""
    words = _words(get_language() or "")
    return words.day % {
        "weekday": words.weekdays_short[day.weekday()],
        "day": day.day,
        "month": words.months_short[day.month - 1],
    }


def weekday_time(moment: datetime) -> str:
    """``lun 09:00`` / ``Mon 09:00``: a moment within the coming week."""
    words = _words(get_language() or "")
    return f"{words.weekdays_short[moment.weekday()]} {_time(moment)}"


def _time(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _zone(moment: datetime) -> str:
    return moment.tzname() or moment.strftime("%z")


class _Words:
    __slots__ = ("day", "long", "months", "months_short", "short", "weekdays", "weekdays_short")

    def __init__(self) -> None:
        self.weekdays = tuple(str(name) for name in _WEEKDAYS)
        self.weekdays_short = tuple(str(name) for name in _WEEKDAYS_SHORT)
        self.months = tuple(str(name) for name in _MONTHS)
        self.months_short = tuple(str(name) for name in _MONTHS_SHORT)
        self.long = pgettext(
            "date, long", "%(weekday)s %(day)s %(month)s %(year)s, %(time)s %(zone)s"
        )
        self.short = pgettext("date, short", "%(day)s %(year)s, %(time)s %(zone)s")
        self.day = pgettext("day, short", "%(weekday)s %(day)s %(month)s")


@cache
def _words(language: str) -> _Words:
    with override(language or None):
        return _Words()
