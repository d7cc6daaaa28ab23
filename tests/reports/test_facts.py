"""The facts and their daily aggregates stay current: a late change corrects the day the ticket
was received on once the refresh job runs, a clock breaching with nothing happening is found,
and days are Mexico City days (a Sunday-night ticket is Sunday's, in that ISO week)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from report_helpers import MX, open_at, recount

from soporte.jobs import services as jobs
from soporte.jobs.models import Job
from soporte.reports import facts, handlers
from soporte.reports.catalog import reports
from soporte.reports.domain.filters import Filters
from soporte.reports.models import DailyFact, StaleFact, TicketFact
from soporte.tickets import services

MONDAY = datetime(2026, 3, 9, 10, 0, tzinfo=MX)
WEEK = Filters(date(2026, 3, 9), date(2026, 3, 15))


def heat(now: datetime, filters: Filters = WEEK) -> dict[str, Any]:
    table = reports()["sla_compliance"].compute(filters, now)
    pro = next(r for r in table.rows if r[0] == "Pro")
    return dict(zip([c.key for c in table.columns], pro, strict=True))


def run_jobs(now: datetime) -> None:
    jobs.run_due(worker="test", now=lambda: now)


def test_a_late_change_corrects_the_day_it_was_received(world: Any) -> None:
    ticket = open_at(world, MONDAY, plan="pro", severity="P2", channel="email")
    services.reply(
        ticket=ticket, author=world.agents["t1"], body="On it.", at=MONDAY + timedelta(hours=1)
    )
    services.change_status(
        ticket=ticket, status="solved", actor=world.agents["t1"], at=MONDAY + timedelta(hours=2)
    )
    handlers.ensure_refreshing(now=MONDAY + timedelta(hours=3))
    run_jobs(MONDAY + timedelta(hours=3))
    assert (heat(MONDAY)["P2_met"], DailyFact.objects.get().resolved_at_t1) == (1, 1)
    assert not StaleFact.objects.exists()

    later = MONDAY + timedelta(days=10)  # another week: the change must land on the Monday
    services.reply(ticket=ticket, author=world.contacts["pro"], body="It is back.", at=later)
    services.change_severity(ticket=ticket, severity="P1", actor=world.agents["t1"], at=later)
    assert StaleFact.objects.filter(ticket=ticket).exists()
    run_jobs(later + EVERY_AND_A_BIT)

    row = DailyFact.objects.get()
    assert (row.day, row.severity, row.resolved, row.resolved_at_t1) == (
        date(2026, 3, 9),
        "P1",
        0,
        0,
    )
    after = heat(later)
    assert (after["P2_met"], after["P1_met"]) == (0, 1)  # 1 h within P1's 4 bh for Pro
    [seen] = recount(later + EVERY_AND_A_BIT)
    assert (seen.severity, seen.first_response, seen.resolved_at_t1) == ("P1", "met", False)
    assert Job.objects.filter(kind=handlers.REFRESH, status=Job.Status.PENDING).count() == 1


EVERY_AND_A_BIT = handlers.EVERY + timedelta(seconds=1)


def test_a_clock_that_breaches_unattended_is_found(world: Any) -> None:
    ticket = open_at(world, MONDAY, plan="pro", severity="P0", channel="chat")
    facts.refresh(now=MONDAY + timedelta(minutes=5))
    fact = TicketFact.objects.get(ticket=ticket)
    assert (fact.first_response, fact.channel_response, fact.recheck_at is not None) == (
        "running",
        "running",
        True,
    )
    assert not StaleFact.objects.exists()

    much_later = MONDAY + timedelta(hours=3)  # nothing happened to the ticket meanwhile
    assert facts.refresh(now=much_later) == 1
    fact.refresh_from_db()
    assert (fact.first_response, fact.channel_response, fact.breach_hour) == (
        "breached",
        "breached",
        11,
    )
    assert heat(much_later)["P0_breached"] == 1
    [seen] = recount(much_later)
    assert (seen.first_response, seen.channel_response, seen.breach_hour) == (
        "breached",
        "breached",
        11,
    )


def test_days_and_weeks_are_mexico_city_ones(world: Any) -> None:
    sunday_night = datetime(2026, 3, 15, 23, 30, tzinfo=MX)  # Monday 05:30 UTC
    monday_early = datetime(2026, 3, 16, 0, 10, tzinfo=MX)
    open_at(world, sunday_night, plan="pro", severity="P3", channel="email")
    open_at(world, monday_early, plan="pro", severity="P3", channel="email")
    now = monday_early + timedelta(hours=1)
    assert facts.rebuild(now=now) == 2
    assert sorted(TicketFact.objects.values_list("day", flat=True)) == [
        date(2026, 3, 15),
        date(2026, 3, 16),
    ]
    trend = reports()["sla_trend"].compute(Filters(date(2026, 3, 15), date(2026, 3, 16)), now)
    assert [(r[0], r[5]) for r in trend.rows] == [("2026-W11", 1), ("2026-W12", 1)]  # running
    assert heat(now)["P3_running"] == 1  # the week of 9-15 March holds the Sunday one only
