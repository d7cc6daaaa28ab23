"""``soporte.web.dates`` writes what Django's ``date_format`` writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats
from django.utils.translation import override

from soporte.web.dates import long_when

ZONES = ["America/Mexico_City", "America/Tijuana", "America/Bogota", "Europe/Madrid", "UTC"]


@pytest.mark.parametrize("language", ["es-mx", "es", "en", None])
@pytest.mark.parametrize("zone", ZONES)
def test_same_text_as_django_every_day_and_hour_of_a_year(language: str | None, zone: str) -> None:
    tz = ZoneInfo(zone)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with override(language):
        for hours in range(0, 366 * 24, 7):  # every weekday, month and hour, DST changes too
            moment = (start + timedelta(hours=hours, minutes=hours % 60)).astimezone(tz)
            assert long_when(moment) == formats.date_format(moment, "l j F Y, H:i T")


def test_in_spanish_and_english() -> None:
    moment = datetime(2026, 11, 30, 9, 5, tzinfo=ZoneInfo("America/Mexico_City"))
    with override("es-mx"):
        spanish = long_when(moment)
    with override("en"):
        english = long_when(moment)
    assert spanish.lower() == "lunes 30 noviembre 2026, 09:05 cst"
    assert english == "Monday 30 November 2026, 09:05 CST"
