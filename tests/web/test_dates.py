"""``soporte.dates``: one style per context, lowercase Spanish names with "de"."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils.translation import override

from soporte.dates import long_when, short_day, short_when, weekday_time

CDMX = ZoneInfo("America/Mexico_City")
MOMENT = datetime(2026, 12, 12, 9, 5, tzinfo=CDMX)  # a Saturday


def in_language(language: str, write: object, value: object) -> str:
    with override(language):
        return write(value)  # type: ignore[operator, no-any-return]


@pytest.mark.parametrize(
    ("write", "spanish", "english"),
    [
        (
            long_when,
            "sábado 12 de diciembre de 2026, 09:05 CST",
            "Saturday 12 December 2026, 09:05 CST",
        ),
        (short_when, "sáb 12 dic 2026, 09:05 CST", "Sat 12 Dec 2026, 09:05 CST"),
        (short_day, "sáb 12 dic", "Sat 12 Dec"),
        (weekday_time, "sáb 09:05", "Sat 09:05"),
    ],
)
def test_each_style_in_spanish_and_english(write: object, spanish: str, english: str) -> None:
    assert in_language("es-mx", write, MOMENT) == spanish
    assert in_language("en", write, MOMENT) == english


def test_spanish_names_are_lowercase_every_day_and_month() -> None:
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    with override("es-mx"):
        texts = [long_when(datetime(d.year, d.month, d.day, tzinfo=CDMX)) for d in days]
        shorts = [short_day(d) for d in days]
    words = {w for text in texts + shorts for w in text.split() if w.isalpha()} - {"CST"}
    assert words == {w.lower() for w in words}
    assert "miércoles 1 de julio de 2026, 00:00 CST" in texts
    assert {s.split()[0] for s in shorts} == {"lun", "mar", "mié", "jue", "vie", "sáb", "dom"}
    months = {s.split()[2] for s in shorts}
    assert months == {"ene", "feb", "mar", "abr", "may", "jun"} | {
        "jul",
        "ago",
        "sep",
        "oct",
        "nov",
        "dic",
    }


def test_the_when_filter_shows_the_desk_zone_in_the_active_language() -> None:
    template = Template("{% load soporte %}{{ at|when }}")
    at = MOMENT.astimezone(ZoneInfo("UTC"))
    with override("es-mx"):
        assert template.render(Context({"at": at})) == "sáb 12 dic 2026, 09:05 CST"
    with override("en"):
        assert template.render(Context({"at": None})) == ""


def test_no_template_writes_day_or_month_names_with_django_s_date_filter() -> None:
    """Django's Spanish names are capitalised ("Sab", "Diciembre"): templates use ``when``."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "soporte"
    named = re.compile(r"""\|date:["'][^"']*[DlMFNEb]""")
    offenders = [str(p) for p in src.rglob("*.html") if named.search(p.read_text())]
    assert offenders == []
