"""What the widget says about support hours, at fixed instants: agents available in business
hours; outside them, closed and when support resumes, in the customer's language and zone."""

from __future__ import annotations

from datetime import datetime

import pytest

from soporte.channels.chat.selectors import support_hours


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    "moment",
    ["2026-12-01T09:00:00-06:00", "2026-12-01T17:59:59-06:00", "2026-12-04T12:00:00-06:00"],
)
def test_in_business_hours_agents_are_available(moment: str) -> None:
    found = support_hours(lang="en", zone="America/Mexico_City", now=at(moment))
    assert found.open
    assert found.resumes_at is None
    assert found.text == "Agents are available. We usually answer within 15 minutes."


def test_after_hours_it_says_when_support_resumes_in_the_customers_zone() -> None:
    friday_evening = at("2026-12-04T18:00:00-06:00")
    found = support_hours(lang="en", zone="America/Bogota", now=friday_evening)
    assert not found.open
    assert found.resumes_at == at("2026-12-07T09:00:00-06:00")  # Monday's opening
    assert "Monday" in found.text
    assert "10:00" in found.text
    assert found.text.startswith("Support is closed right now; it resumes")


def test_on_a_holiday_it_says_so_in_spanish() -> None:
    christmas = at("2026-12-25T11:00:00-06:00")
    found = support_hours(lang="es", zone="America/Mexico_City", now=christmas)
    assert not found.open
    assert found.resumes_at == at("2026-12-28T09:00:00-06:00")
    assert "lunes" in found.text
    assert "09:00" in found.text
