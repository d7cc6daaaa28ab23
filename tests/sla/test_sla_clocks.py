"""SLA clocks (READING.md §1-3), pure: no database, no Django."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from soporte.policy import Basis, UnknownCode, default_policy, parse_duration
from soporte.sla.domain import (
    ClockKind,
    ClockStatus,
    breach_after,
    clock_facts,
    elapsed,
    first_response_clock,
    fulfil,
    open_clocks,
    recompute,
    start_clock,
    state,
)

POLICY = default_policy()
US = timedelta(microseconds=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def target(text: str):  # type: ignore[no-untyped-def]
    return parse_duration(text, business_day=POLICY.business_day)


@pytest.mark.parametrize(
    ("plan", "channel", "opened", "first_due", "channel_due", "channel_target"),
    [
        # email and portal: the SLA grid is the channel's target, no second clock
        ("pro", "email", "2026-11-27T17:40:00-06:00", "2026-11-30T12:40:00-06:00", None, None),
        ("starter", "portal", "2026-11-27T17:40:00-06:00", "2026-11-30T17:40:00-06:00", None, None),
        # chat 15 min and WhatsApp 30 min in business time, from Friday 17:50 into Monday
        (
            "pro",
            "chat",
            "2026-11-27T17:50:00-06:00",
            "2026-11-30T12:50:00-06:00",
            "2026-11-30T09:05:00-06:00",
            "15 min",
        ),
        (
            "starter",
            "whatsapp",
            "2026-11-27T17:50:00-06:00",
            "2026-11-30T17:50:00-06:00",
            "2026-11-30T09:20:00-06:00",
            "30 min",
        ),
        # Slack Connect: 18:00 the same business day, else 18:00 of the next business day
        (
            "pro",
            "slack",
            "2026-11-26T08:00:00-06:00",
            "2026-11-26T13:00:00-06:00",
            "2026-11-26T18:00:00-06:00",
            "same bd",
        ),
        (
            "pro",
            "slack",
            "2026-11-26T17:59:59-06:00",
            "2026-11-27T12:59:59-06:00",
            "2026-11-26T18:00:00-06:00",
            "same bd",
        ),
        (
            "enterprise",
            "slack",
            "2026-11-26T18:00:00-06:00",
            "2026-11-27T10:00:00-06:00",
            "2026-11-27T18:00:00-06:00",
            "same bd",
        ),
        (
            "pro",
            "slack",
            "2026-11-19T19:00:00-06:00",
            "2026-11-23T13:00:00-06:00",
            "2026-11-23T18:00:00-06:00",
            "same bd",
        ),  # Friday 20 Nov is Revolution Day
        # the emergency line for Enterprise: 15 min, 24/7
        (
            "enterprise",
            "phone",
            "2026-12-24T23:55:00-06:00",
            "2026-12-28T10:00:00-06:00",
            "2026-12-25T00:10:00-06:00",
            "15 min 24/7",
        ),
    ],
)
def test_clocks_per_channel(plan, channel, opened, first_due, channel_due, channel_target):  # type: ignore[no-untyped-def]
    severity = "P1"
    clocks = open_clocks(
        POLICY, plan=plan, severity=severity, channel=channel, opened_at=at(opened)
    )
    assert clocks.entitled
    assert clocks.first_response.due_at == at(first_due)
    if channel_due is None:
        assert clocks.channel_response is None
    else:
        assert clocks.channel_response is not None
        assert clocks.channel_response.due_at == at(channel_due)
        assert clocks.channel_response.target.text == channel_target
        assert clocks.earliest_due() == min(at(first_due), at(channel_due))


@pytest.mark.parametrize(
    ("plan", "channel"), [("starter", "slack"), ("starter", "phone"), ("pro", "phone")]
)
def test_channel_not_in_plan_becomes_email_grade(plan, channel):  # type: ignore[no-untyped-def]
    opened = at("2026-11-25T10:00:00-06:00")
    clocks = open_clocks(POLICY, plan=plan, severity="P2", channel=channel, opened_at=opened)
    assert not clocks.entitled
    assert clocks.channel_response is None
    email = open_clocks(POLICY, plan=plan, severity="P2", channel="email", opened_at=opened)
    assert clocks.first_response == email.first_response


def test_enterprise_p0_counts_wall_clock_time_across_a_holiday_night():
    clock = first_response_clock(
        POLICY, plan="enterprise", severity="P0", opened_at=at("2026-12-24T23:55:00-06:00")
    )
    assert not clock.counts_business_time
    assert clock.due_at == at("2026-12-25T00:10:00-06:00")
    assert state(POLICY, clock, at("2026-12-25T00:10:00-06:00")).status is ClockStatus.AT_RISK
    assert (
        state(POLICY, clock, at("2026-12-25T00:10:00.000001-06:00")).status is ClockStatus.BREACHED
    )


def test_due_time_on_a_close_is_not_breached_until_business_time_runs_again():
    # Pro P1 (4 bh) opened Monday 14:00 is due Monday 18:00, a close.
    clock = first_response_clock(
        POLICY, plan="pro", severity="P1", opened_at=at("2026-11-30T14:00:00-06:00")
    )
    assert clock.due_at == at("2026-11-30T18:00:00-06:00")
    assert breach_after(POLICY, clock) == at("2026-12-01T09:00:00-06:00")
    for quiet in (
        "2026-11-30T18:00:00-06:00",
        "2026-11-30T23:00:00-06:00",
        "2026-12-01T09:00:00-06:00",
    ):
        seen = state(POLICY, clock, at(quiet))
        assert seen.status is ClockStatus.AT_RISK
        assert seen.remaining == timedelta(0)
    late = state(POLICY, clock, at("2026-12-01T09:00:00.000001-06:00"))
    assert late.status is ClockStatus.BREACHED
    assert late.remaining == -US


def test_warning_share_marks_at_risk_from_80_percent():
    clock = first_response_clock(
        POLICY, plan="pro", severity="P1", opened_at=at("2026-11-30T09:00:00-06:00")
    )
    # 80 % of 4 h is 3 h 12 min
    assert state(POLICY, clock, at("2026-11-30T12:11:59-06:00")).status is ClockStatus.ON_TRACK
    assert state(POLICY, clock, at("2026-11-30T12:12:00-06:00")).status is ClockStatus.AT_RISK
    assert (
        state(POLICY, clock, at("2026-11-30T12:12:00-06:00"), warning_at=0.9).status
        is ClockStatus.ON_TRACK
    )


def test_first_human_reply_fulfils_once_and_decides_met_or_missed():
    clock = first_response_clock(
        POLICY, plan="pro", severity="P1", opened_at=at("2026-11-30T09:00:00-06:00")
    )
    met = fulfil(clock, at("2026-11-30T12:00:00-06:00"))
    assert fulfil(met, at("2026-11-30T12:30:00-06:00")) is met
    later = at("2026-12-02T10:00:00-06:00")
    assert state(POLICY, met, later).status is ClockStatus.MET
    assert elapsed(POLICY, met, later) == timedelta(hours=3)
    missed = fulfil(clock, at("2026-12-01T09:30:00-06:00"))
    seen = state(POLICY, missed, later)
    assert seen.status is ClockStatus.MISSED
    assert seen.remaining == -timedelta(hours=5, minutes=30)


def test_severity_change_keeps_accrued_business_time():
    # Starter P3 (5 bd) opened Monday 09:00; on Tuesday 12:00 it becomes P1 (1 bd): the new
    # target counts from the original start, so it was already due Monday 18:00.
    clock = first_response_clock(
        POLICY, plan="starter", severity="P3", opened_at=at("2026-11-30T09:00:00-06:00")
    )
    assert clock.due_at == at("2026-12-04T18:00:00-06:00")
    now = at("2026-12-01T12:00:00-06:00")
    raised = recompute(POLICY, clock, POLICY.first_response_target("starter", "P1"))
    assert raised.started_at == clock.started_at
    assert raised.due_at == at("2026-11-30T18:00:00-06:00")
    assert state(POLICY, raised, now).status is ClockStatus.BREACHED
    assert elapsed(POLICY, raised, now) == elapsed(POLICY, clock, now) == timedelta(hours=12)
    lowered = recompute(POLICY, raised, POLICY.first_response_target("starter", "P2"))
    assert lowered.due_at == at("2026-12-01T18:00:00-06:00")
    assert state(POLICY, lowered, now).remaining == timedelta(hours=6)


def test_plan_change_can_switch_a_clock_to_wall_time():
    clock = first_response_clock(
        POLICY, plan="pro", severity="P0", opened_at=at("2026-11-28T10:00:00-06:00")
    )
    assert clock.due_at == at("2026-11-30T10:00:00-06:00")  # Saturday: accrues from Monday 09:00
    upgraded = recompute(POLICY, clock, POLICY.first_response_target("enterprise", "P0"))
    assert not upgraded.counts_business_time
    assert upgraded.due_at == at("2026-11-28T10:15:00-06:00")


def test_recompute_keeps_fulfilment():
    clock = fulfil(
        first_response_clock(
            POLICY, plan="pro", severity="P2", opened_at=at("2026-11-30T09:00:00-06:00")
        ),
        at("2026-11-30T15:00:00-06:00"),
    )
    raised = recompute(POLICY, clock, POLICY.first_response_target("pro", "P0"))
    assert raised.fulfilled_at == clock.fulfilled_at
    assert state(POLICY, raised, at("2026-12-01T09:00:00-06:00")).status is ClockStatus.MISSED


def test_a_clock_due_on_a_close_waits_for_the_opening_instead_of_counting_down():
    # Pro P1 (4 bh) opened Friday 14:00 is due Friday 18:00: all weekend nothing is "left", it
    # is due when support opens on Monday 09:00 (READING.md §1).
    clock = first_response_clock(
        POLICY, plan="pro", severity="P1", opened_at=at("2026-12-04T14:00:00-06:00")
    )
    monday = at("2026-12-07T09:00:00-06:00")
    for quiet in ("2026-12-04T18:00:00-06:00", "2026-12-05T12:00:00-06:00", monday.isoformat()):
        assert state(POLICY, clock, at(quiet)).due_at_opening == monday
    for running in ("2026-12-04T17:59:59-06:00", "2026-12-07T09:00:01-06:00"):
        assert state(POLICY, clock, at(running)).due_at_opening is None
    answered = fulfil(clock, at("2026-12-04T18:00:00-06:00"))
    assert state(POLICY, answered, at("2026-12-05T12:00:00-06:00")).due_at_opening is None


def test_a_wall_clock_target_never_waits_for_an_opening():
    clock = first_response_clock(
        POLICY, plan="enterprise", severity="P0", opened_at=at("2026-12-05T12:00:00-06:00")
    )
    assert state(POLICY, clock, clock.due_at).due_at_opening is None


def test_zero_target_is_due_at_the_next_opening():
    zero = target("0 min")
    night = start_clock(POLICY, ClockKind.FIRST_RESPONSE, zero, at("2026-11-30T20:00:00-06:00"))
    assert night.due_at == at("2026-12-01T09:00:00-06:00")
    assert state(POLICY, night, at("2026-12-01T09:00:00-06:00")).status is ClockStatus.AT_RISK
    assert state(POLICY, night, at("2026-11-30T23:00:00-06:00")).due_at_opening == night.due_at
    assert state(POLICY, night, at("2026-12-01T09:00:01-06:00")).status is ClockStatus.BREACHED


def test_same_business_day_budget_is_the_rest_of_the_day():
    clock = start_clock(
        POLICY, ClockKind.CHANNEL_RESPONSE, target("same bd"), at("2026-11-30T17:30:00-06:00")
    )
    assert clock.target.basis is Basis.SAME_BUSINESS_DAY
    assert clock.budget == timedelta(minutes=30)
    weekend = start_clock(
        POLICY, ClockKind.CHANNEL_RESPONSE, target("same bd"), at("2026-11-28T11:00:00-06:00")
    )
    assert weekend.due_at == at("2026-11-30T18:00:00-06:00")
    assert weekend.budget == timedelta(hours=9)


def test_every_grid_cell_from_friday_afternoon():
    opened = at("2026-11-27T16:00:00-06:00")
    expected = {
        ("starter", "P0"): "2026-11-30T11:00:00-06:00",
        ("starter", "P1"): "2026-11-30T16:00:00-06:00",
        ("starter", "P2"): "2026-12-01T16:00:00-06:00",
        ("starter", "P3"): "2026-12-04T16:00:00-06:00",
        ("pro", "P0"): "2026-11-27T17:00:00-06:00",
        ("pro", "P1"): "2026-11-30T11:00:00-06:00",
        ("pro", "P2"): "2026-11-30T16:00:00-06:00",
        ("pro", "P3"): "2026-12-01T16:00:00-06:00",
        ("enterprise", "P0"): "2026-11-27T16:15:00-06:00",
        ("enterprise", "P1"): "2026-11-27T17:00:00-06:00",
        ("enterprise", "P2"): "2026-11-30T11:00:00-06:00",
        ("enterprise", "P3"): "2026-11-30T16:00:00-06:00",
    }
    assert set(expected) == set(POLICY.sla)
    for (plan, severity), due in expected.items():
        clock = first_response_clock(POLICY, plan=plan, severity=severity, opened_at=opened)
        assert clock.due_at == at(due), (plan, severity)


def test_unknown_codes_list_the_valid_ones():
    with pytest.raises(
        UnknownCode, match=r"unknown plan 'basic' \(valid: starter, pro, enterprise\)"
    ):
        first_response_clock(
            POLICY, plan="basic", severity="P1", opened_at=at("2026-11-30T09:00:00-06:00")
        )
    with pytest.raises(UnknownCode, match="valid: email, portal, chat, whatsapp, slack, phone"):
        open_clocks(
            POLICY,
            plan="pro",
            severity="P1",
            channel="fax",
            opened_at=at("2026-11-30T09:00:00-06:00"),
        )


def test_facts_name_the_closed_periods_and_when_support_resumes():
    clock = first_response_clock(
        POLICY, plan="starter", severity="P0", opened_at=at("2026-11-19T17:40:00-06:00")
    )
    facts = clock_facts(POLICY, clock, now=at("2026-11-21T12:00:00-06:00"))
    assert facts.accrues_from == clock.started_at
    assert [(p.starts, p.ends) for p in facts.skipped] == [
        (at("2026-11-19T18:00:00-06:00"), at("2026-11-23T09:00:00-06:00"))
    ]
    assert [h.names["en"] for h in facts.skipped[0].holidays] == ["Revolution Day"]
    assert [d.isoformat() for d in facts.skipped[0].closed_days] == ["2026-11-21", "2026-11-22"]
    assert facts.resumes_at == at("2026-11-23T09:00:00-06:00")
    assert facts.state is not None
    assert facts.state.remaining == timedelta(hours=3, minutes=40)
    sunday = first_response_clock(
        POLICY, plan="pro", severity="P1", opened_at=at("2026-11-29T11:00:00-06:00")
    )
    assert clock_facts(POLICY, sunday).accrues_from == at("2026-11-30T09:00:00-06:00")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (timedelta(0), "0 min"),
        (timedelta(seconds=59), "59 s"),
        (timedelta(hours=42, minutes=45), "42 h 45 min"),
        (timedelta(days=2, seconds=1), "48 h 1 s"),
        (-timedelta(minutes=20), "-20 min"),
    ],
)
def test_durations_are_written_in_hours_never_days(amount, text):  # type: ignore[no-untyped-def]
    from soporte.sla.explain import format_duration

    assert format_duration(amount) == text
