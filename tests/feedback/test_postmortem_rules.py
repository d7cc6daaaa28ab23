"""The post-mortem's pure rules: which tickets need one, when it is due (business days on the
policy's calendar), where it stands, and its timeline built from the ticket's events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.feedback.domain.postmortem import (
    Entry,
    Event,
    Reason,
    Standing,
    Status,
    after_save,
    due_at,
    entry_of,
    missing_to_publish,
    reason_for,
    standing,
    timeline,
)
from soporte.policy import default_policy

MX = ZoneInfo("America/Mexico_City")
POLICY = default_policy()


def mx(*args: int) -> datetime:
    return datetime(*args, tzinfo=MX)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("severity", "founder_paged", "expected"),
    [
        ("P0", False, Reason.P0),
        ("P0", True, Reason.P0),
        ("P1", True, Reason.FOUNDER_PAGE),
        ("P1", False, None),
        ("P3", False, None),
    ],
)
def test_which_tickets_need_a_postmortem(severity, founder_paged, expected):  # type: ignore[no-untyped-def]
    assert reason_for(severity=severity, founder_paged=founder_paged) == expected


@pytest.mark.parametrize(
    ("resolved", "due"),
    [
        (mx(2027, 3, 1, 12), mx(2027, 3, 8, 12)),  # Monday noon: next Monday noon
        (mx(2027, 2, 26, 17), mx(2027, 3, 5, 17)),  # Friday 17:00: next Friday 17:00
        (mx(2027, 2, 27, 11), mx(2027, 3, 5, 18)),  # Saturday: five whole days from Monday 09:00
        (mx(2027, 3, 1, 18), mx(2027, 3, 8, 18)),  # at closing: Tuesday 09:00 + 45 bh
        (mx(2027, 3, 16, 10), mx(2027, 3, 23, 10)),  # 21 Mar is a Sunday: no day lost
        (mx(2026, 12, 21, 9), mx(2026, 12, 28, 18)),  # 25 Dec (Friday) is a holiday
        (mx(2027, 3, 22, 9), mx(2027, 3, 29, 18)),  # Good Friday (26 Mar 2027) too
    ],
)
def test_due_five_business_days_after_resolution(resolved, due):  # type: ignore[no-untyped-def]
    found = due_at(resolved, days=5, business_day=POLICY.business_day, calendar=POLICY.calendar)
    assert found == due


def test_due_needs_an_aware_instant_and_a_day():
    with pytest.raises(ValueError, match="aware"):
        due_at(
            datetime(2027, 3, 1, 12),  # noqa: DTZ001
            days=5,
            business_day=POLICY.business_day,
            calendar=POLICY.calendar,
        )
    with pytest.raises(ValueError, match="days: expected at least 1"):
        due_at(mx(2027, 3, 1), days=0, business_day=POLICY.business_day, calendar=POLICY.calendar)


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),  # noqa: DTZ001
    st.integers(min_value=1, max_value=20),
)
def test_due_is_later_business_time_of_exactly_n_days(naive: datetime, days: int) -> None:
    resolved = naive.replace(tzinfo=UTC)
    due = due_at(resolved, days=days, business_day=POLICY.business_day, calendar=POLICY.calendar)
    assert due > resolved
    assert POLICY.calendar.elapsed(resolved, due) == POLICY.business_day * days
    later = due_at(
        resolved + timedelta(hours=1),
        days=days,
        business_day=POLICY.business_day,
        calendar=POLICY.calendar,
    )
    assert later >= due  # a later resolution never makes it due earlier


DUE = mx(2027, 3, 8, 12)


@pytest.mark.parametrize(
    ("status", "due", "now", "expected"),
    [
        ("requested", None, DUE, Standing.AWAITING_RESOLUTION),
        ("requested", DUE, DUE - timedelta(seconds=1), Standing.DUE),
        ("draft", DUE, DUE, Standing.DUE),  # due at that instant, not yet late
        ("draft", DUE, DUE + timedelta(microseconds=1), Standing.OVERDUE),
        ("written", DUE, DUE + timedelta(days=30), Standing.WRITTEN),
        ("written", None, DUE, Standing.WRITTEN),
    ],
)
def test_standing(status, due, now, expected):  # type: ignore[no-untyped-def]
    assert standing(status=status, due=due, now=now) == expected


@pytest.mark.parametrize(
    ("impact", "cause", "missing"),
    [
        ("", "", ("impact", "cause")),
        ("Todas las máquinas sin ventas 40 min", "  ", ("cause",)),
        ("x", "Migración de RLS", ()),
    ],
)
def test_publishing_needs_an_impact_and_a_cause(impact, cause, missing):  # type: ignore[no-untyped-def]
    assert missing_to_publish(impact=impact, cause=cause) == missing


@pytest.mark.parametrize(
    ("status", "expected"),
    [("requested", Status.DRAFT), ("draft", Status.DRAFT), ("written", Status.WRITTEN)],
)
def test_saving_makes_a_draft_and_keeps_a_written_one(status, expected):  # type: ignore[no-untyped-def]
    assert after_save(status) == expected


T0 = datetime(2027, 3, 2, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "data", "entry"),
    [
        ("created", {"channel": "email"}, Entry.OPENED),
        ("severity_changed", {"old": "P1", "new": "P0"}, Entry.SEVERITY_CHANGED),
        ("page_opened", {"reason": "p0_opened"}, Entry.PAGE_OPENED),
        ("page_sent", {"target": "primary"}, Entry.PAGED),
        ("page_skipped", {"target": "secondary"}, Entry.PAGE_SKIPPED),
        ("page_acknowledged", {"via": "console"}, Entry.ACKNOWLEDGED),
        ("escalated", {"old": "T1", "new": "T2"}, Entry.ESCALATED),
        ("clock_fulfilled", {"clock": "first_response", "met": True}, Entry.FIRST_RESPONSE),
        ("clock_fulfilled", {"clock": "channel_response", "met": False}, Entry.CHANNEL_RESPONSE),
        ("clock_breached", {"clock": "first_response"}, Entry.CLOCK_BREACHED),
        ("status_changed", {"old": "open", "new": "solved"}, Entry.RESOLVED),
        ("status_changed", {"old": "pending", "new": "closed"}, Entry.RESOLVED),
        ("status_changed", {"old": "solved", "new": "open"}, Entry.REOPENED),
        ("status_changed", {"old": "solved", "new": "closed"}, None),
        ("status_changed", {"old": "new", "new": "open"}, None),
        ("replied", {}, None),
        ("noted", {}, None),
        ("clock_warning", {"clock": "first_response"}, None),
        ("page_requested", {"reason": "p0_opened"}, None),
        ("postmortem_requested", {"reason": "p0"}, None),
    ],
)
def test_which_events_make_the_timeline(kind, data, entry):  # type: ignore[no-untyped-def]
    assert entry_of(Event(kind, T0, data)) == entry


def test_timeline_keeps_time_order_and_the_facts_it_tells():
    events = [
        Event("created", T0, {"channel": "phone"}, "Ana"),
        Event("noted", T0 + timedelta(minutes=1), {"message": 3}, "T1"),
        Event("page_opened", T0, {"reason": "p0_opened", "page": 1}),
        Event("page_acknowledged", T0 + timedelta(minutes=4), {"via": "sms", "page": 1}, "Beto"),
        Event(
            "clock_fulfilled", T0 + timedelta(minutes=9), {"clock": "first_response", "met": True}
        ),
        Event("status_changed", T0 + timedelta(hours=2), {"old": "open", "new": "solved"}, "Beto"),
    ]
    lines = timeline(events[3:] + events[:3])  # ties at T0 keep their order
    assert [(line.entry, line.at) for line in lines] == [
        (Entry.OPENED, T0),
        (Entry.PAGE_OPENED, T0),
        (Entry.ACKNOWLEDGED, T0 + timedelta(minutes=4)),
        (Entry.FIRST_RESPONSE, T0 + timedelta(minutes=9)),
        (Entry.RESOLVED, T0 + timedelta(hours=2)),
    ]
    assert lines[2].actor == "Beto"
    assert lines[2].details == {"via": "sms"}
    assert lines[3].details == {"met": True}


KINDS = st.sampled_from(
    [
        "created",
        "replied",
        "page_sent",
        "page_acknowledged",
        "escalated",
        "clock_fulfilled",
        "clock_breached",
        "status_changed",
        "assigned",
    ]
)
STATUSES = st.sampled_from(["new", "open", "pending", "solved", "closed"])


@st.composite
def events(draw: st.DrawFn) -> Event:
    kind = draw(KINDS)
    at = T0 + timedelta(minutes=draw(st.integers(min_value=0, max_value=600)))
    data: dict[str, object] = {}
    if kind == "status_changed":
        data = {"old": draw(STATUSES), "new": draw(STATUSES)}
    elif kind.startswith("clock_"):
        data = {"clock": draw(st.sampled_from(["first_response", "channel_response"]))}
    return Event(kind, at, data)


@given(st.lists(events(), max_size=30))
def test_timeline_is_the_ticket_events_that_tell_the_story_in_order(
    given_events: list[Event],
) -> None:
    lines = timeline(given_events)
    told = sorted((e for e in given_events if entry_of(e) is not None), key=lambda e: e.at)
    assert [(line.entry, line.at) for line in lines] == [(entry_of(e), e.at) for e in told]
    resolutions = [line for line in lines if line.entry in (Entry.RESOLVED, Entry.REOPENED)]
    assert all(line.details.get("new") for line in resolutions)
