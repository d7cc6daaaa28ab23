from __future__ import annotations

import re
from datetime import date

from soporte.policy import default_policy
from soporte.policy.summary import default_year, render_summary


def test_summary_lists_next_years_holidays_with_weekdays() -> None:
    text = render_summary(default_policy(), year=2027)

    assert "Holidays and closures in 2027" in text
    assert re.search(r"2027-01-01\s+Friday\s+New Year's Day", text)
    assert re.search(r"2027-03-26\s+Friday\s+Good Friday", text)
    assert re.search(r"2027-12-31\s+Friday\s+New Year's Eve", text)


def test_summary_shows_channels_calendar_escalation_and_oncall() -> None:
    text = render_summary(default_policy(), year=2027)

    assert re.search(r"phone \(Emergency phone line\)\s+enterprise\s+15 min 24/7\s+24/7", text)
    assert re.search(r"slack \(Slack Connect\)\s+pro, enterprise\s+same bd", text)
    assert re.search(r"email \(Email\)\s+starter, pro, enterprise\s+the SLA grid", text)
    assert "zone: America/Mexico_City" in text
    assert re.search(r"Monday\s+09:00-18:00", text)
    assert re.search(r"Saturday\s+closed", text)
    assert "45 business hours a week" in text
    assert "T1 → T2 after: 2 exchanges" in text
    assert "handoff: Monday 10:00" in text
    assert "10 min 24/7" in text


def test_default_year_is_the_year_after_today_in_the_policy_zone() -> None:
    assert default_year(default_policy(), today=date(2026, 12, 31)) == 2027
