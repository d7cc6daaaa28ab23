"""Pure ticket rules: intake completeness, routing (back-and-forths: test_exchanges.py)."""

from __future__ import annotations

import pytest

from soporte.policy import default_policy
from soporte.tickets.domain.intake import Intake, IntakeField
from soporte.tickets.domain.routing import next_tier, pages_on_t3, route_new_ticket

POLICY = default_policy()

BEST = Intake(
    organisation_id="d97d3a62-9278-4ae5-88c1-a3fdc88321bf",
    has_screenshot=True,
    url="https://app.trackmyvend.com/dashboard",
    expected="14 sales in 'Ventas totales hoy'",
    actual="$0",
    browser_os="Chrome 123 on Mac",
    started_at="14:30 CST today",
    still_happening="yes",
)


def test_the_policys_best_ticket_is_complete_and_the_worst_is_empty():
    assert BEST.completeness == 7
    assert BEST.missing() == []
    worst = Intake()
    assert worst.completeness == 0
    assert worst.missing() == list(IntakeField)


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"url": "  "}, [IntakeField.URL]),
        ({"actual": ""}, [IntakeField.EXPECTED_VS_ACTUAL]),
        ({"still_happening": "maybe"}, [IntakeField.STILL_HAPPENING]),
        (
            {"has_screenshot": False, "started_at": ""},
            [IntakeField.SCREENSHOT, IntakeField.STARTED_AT],
        ),
    ],
)
def test_missing_fields_are_listed_in_the_policys_order(changes, missing):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    intake = replace(BEST, **changes)
    assert intake.missing() == missing
    assert intake.completeness == 7 - len(missing)


@pytest.mark.parametrize(
    ("plan", "channel", "severity", "expected"),
    [
        ("enterprise", "phone", "P2", ("P0", "T3", True, True)),
        ("pro", "phone", "P2", ("P2", "T1", False, False)),  # not entitled: an email-grade ticket
        ("starter", "email", "P0", ("P0", "T1", True, True)),  # a P0 pages at once, any plan
        ("starter", "slack", "P1", ("P1", "T1", False, False)),
        ("pro", "chat", "P3", ("P3", "T1", True, False)),
    ],
)
def test_routing_of_a_new_ticket(plan, channel, severity, expected):  # type: ignore[no-untyped-def]
    route = route_new_ticket(POLICY, plan=plan, channel=channel, severity=severity)
    assert (route.severity, route.tier, route.entitled, route.pages) == expected


def test_tiers_and_t3_paging():
    assert [next_tier(POLICY, t) for t in ("T1", "T2", "T3")] == ["T2", "T3", None]
    assert [pages_on_t3(POLICY, s) for s in ("P0", "P1", "P2", "P3")] == [True, True, False, False]
