"""The escalation chain: who is paged when, stopped by acknowledging or resolving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soporte.escalation.domain import (
    Chain,
    PageState,
    Plan,
    Step,
    Target,
    Unless,
    chain_for,
    next_steps,
    replan,
)

OPEN = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # 21:00 Sunday in Mexico City: any hour pages
MIN = timedelta(minutes=1)
P0 = chain_for(severity="P0", ack_timeout=10 * MIN, founder_cto_after=30 * MIN)
P1 = chain_for(severity="P1", ack_timeout=10 * MIN, founder_cto_after=30 * MIN)


def fired(chain: Chain, state: PageState, now: datetime) -> list[Target]:
    return [s.target for s in next_steps(chain, state, now).fire]


def test_the_chains_of_a_p0_and_a_p1() -> None:
    assert [(s.target, s.after, s.unless) for s in P0.steps] == [
        (Target.PRIMARY, timedelta(0), Unless.RESOLVED),
        (Target.SECONDARY, 10 * MIN, Unless.ACKNOWLEDGED),
        (Target.FOUNDER_CTO, 30 * MIN, Unless.RESOLVED),
    ]
    assert [s.target for s in P1.steps] == [Target.PRIMARY, Target.SECONDARY]
    assert Chain.from_json(P0.as_json()) == P0


@pytest.mark.parametrize(
    ("at", "acked", "resolved", "done", "expected", "wake"),
    [
        (0, None, None, set(), [Target.PRIMARY], 10),
        (5, None, None, {0}, [], 10),
        (10, None, None, {0}, [Target.SECONDARY], 30),  # 10 min without an acknowledgement
        (10, 10, None, {0}, [], 30),  # acknowledged at 10:00 exactly: in time
        (10, 9, None, {0}, [], 30),
        (12, 11, None, {0}, [], 30),  # the check ran late; acknowledged meanwhile
        (30, 5, None, {0}, [Target.FOUNDER_CTO], None),  # acknowledged, still unresolved
        (30, None, 30, {0, 1}, [], None),  # resolved at the 30th minute: in time
        (45, None, None, {0}, [Target.SECONDARY, Target.FOUNDER_CTO], None),  # worker was down
        (45, None, 40, {0}, [], None),  # late check, resolved meanwhile: nobody paged
        (45, None, None, {0, 1, 2}, [], None),
    ],
)
def test_next_steps(
    at: int,
    acked: int | None,
    resolved: int | None,
    done: set[int],
    expected: list[Target],
    wake: int | None,
) -> None:
    state = PageState(
        opened_at=OPEN,
        acknowledged_at=OPEN + acked * MIN if acked is not None else None,
        resolved_at=OPEN + resolved * MIN if resolved is not None else None,
        done=frozenset(done),
    )
    plan = next_steps(P0, state, OPEN + at * MIN)
    assert [s.target for s in plan.fire] == expected
    assert plan.wake_at == (OPEN + wake * MIN if wake is not None else None)


def test_acknowledging_stops_only_the_secondary() -> None:
    state = PageState(opened_at=OPEN, acknowledged_at=OPEN + 2 * MIN, done=frozenset({0}))
    plan = next_steps(P0, state, OPEN + 3 * MIN)
    assert [s.target for s in plan.never] == [Target.SECONDARY]
    assert plan.wake_at == OPEN + 30 * MIN


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        next_steps(P0, PageState(opened_at=OPEN), datetime(2026, 11, 30, 3, 5))  # noqa: DTZ001
    with pytest.raises(ValueError, match="delays must not be negative"):
        chain_for(severity="P0", ack_timeout=-MIN, founder_cto_after=MIN)


minutes = st.integers(min_value=0, max_value=90)


@settings(max_examples=400, deadline=None)
@given(
    severity=st.sampled_from(["P0", "P1"]),
    acked=st.none() | minutes,
    resolved=st.none() | minutes,
    checks=st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=25),
)
def test_a_worker_checking_at_any_times_pages_as_the_policy_says(
    severity: str, acked: int | None, resolved: int | None, checks: list[int]
) -> None:
    """Walk a worker through arbitrary check times (gaps: it was down) and compare who was
    paged, and when, with the policy read directly."""
    chain = chain_for(severity=severity, ack_timeout=10 * MIN, founder_cto_after=30 * MIN)
    ack_at = OPEN + acked * MIN if acked is not None else None
    resolve_at = OPEN + resolved * MIN if resolved is not None else None
    done: set[int] = set()
    pages: dict[Target, datetime] = {}
    for minute in sorted(checks):
        now = OPEN + minute * MIN
        state = PageState(
            opened_at=OPEN,
            acknowledged_at=ack_at if ack_at is not None and ack_at <= now else None,
            resolved_at=resolve_at if resolve_at is not None and resolve_at <= now else None,
            done=frozenset(done),
        )
        plan = next_steps(chain, state, now)
        for step in plan.fire:
            assert step.target not in pages, "a step fired twice"
            pages[step.target] = now
            done.add(step.number)
        done |= {s.number for s in plan.never}

    def policy_pages(target: Target, due_minute: int, stoppers: list[int | None]) -> bool:
        """Paged iff some check came at or after the due time and before anything stopped it."""
        stop = min((m for m in stoppers if m is not None), default=None)
        if stop is not None and stop <= due_minute:
            return False
        return any(due_minute <= c and (stop is None or c < stop) for c in checks)

    expected = {
        Target.PRIMARY: policy_pages(Target.PRIMARY, 0, [resolved]),
        Target.SECONDARY: policy_pages(Target.SECONDARY, 10, [acked, resolved]),
        Target.FOUNDER_CTO: severity == "P0" and policy_pages(Target.FOUNDER_CTO, 30, [resolved]),
    }
    assert {t for t, paged in expected.items() if paged} == set(pages)
    due = {Target.PRIMARY: 0, Target.SECONDARY: 10, Target.FOUNDER_CTO: 30}
    for target, when in pages.items():  # at the first check at or after its due time
        assert when == OPEN + min(c for c in checks if c >= due[target]) * MIN


# ------------------------------------------------- nobody on call (READING §5, §9)


def plan_at(
    minute: int,
    vacant: set[Target],
    *,
    acknowledged_at: datetime | None = None,
    done: frozenset[int] = frozenset(),
) -> Plan:
    state = PageState(opened_at=OPEN, acknowledged_at=acknowledged_at, done=done)
    return next_steps(P0, state, OPEN + minute * MIN, vacant=frozenset(vacant))


def test_a_step_nobody_holds_is_skipped_at_once_not_at_its_delay() -> None:
    plan = plan_at(0, {Target.SECONDARY}, done=frozenset())
    assert ([s.target for s in plan.fire], [s.target for s in plan.skip]) == (
        [Target.PRIMARY],
        [Target.SECONDARY],
    )
    assert plan.wake_at == OPEN + 30 * MIN  # the founder and the CTO keep their 30 minutes


def test_a_skipped_primary_brings_the_secondary_forward() -> None:
    plan = plan_at(0, {Target.PRIMARY})
    assert ([s.target for s in plan.skip], [s.target for s in plan.fire]) == (
        [Target.PRIMARY],
        [Target.SECONDARY],
    )
    assert plan.wake_at == OPEN + 30 * MIN


def test_nobody_in_either_role_skips_both_at_once() -> None:
    plan = plan_at(0, {Target.PRIMARY, Target.SECONDARY})
    assert ([s.target for s in plan.skip], plan.fire) == ([Target.PRIMARY, Target.SECONDARY], ())
    assert plan_at(2, {Target.FOUNDER_CTO}, done=frozenset({0, 1})).skip == (P0.steps[2],)


def test_a_stopped_step_is_dropped_not_reported_as_a_gap() -> None:
    plan = plan_at(3, {Target.SECONDARY}, acknowledged_at=OPEN + MIN, done=frozenset({0}))
    assert ([s.target for s in plan.never], plan.skip) == ([Target.SECONDARY], ())
    assert plan_at(1, {Target.SECONDARY}, done=frozenset({0, 1})).skip == ()


# ------------------------------------------- severity changes while a page is open (§9)

TICKET_OPENED = OPEN - 50 * MIN  # a P1 escalated to T3 fifty minutes after it was opened


def test_raised_to_p0_the_chain_gains_the_founder_step_at_30_minutes_after_the_ticket_opened() -> (
    None
):
    raised = replan(
        P1,
        severity="P0",
        page_opened_at=OPEN,
        ticket_opened_at=OPEN - 10 * MIN,
        founder_cto_after=30 * MIN,
        done=frozenset({0}),
    )
    assert raised.steps[:2] == P1.steps
    assert raised.steps[2] == Step(2, Target.FOUNDER_CTO, 20 * MIN, Unless.RESOLVED)


def test_raised_to_p0_past_the_30_minutes_the_founder_step_is_due_at_once() -> None:
    raised = replan(
        P1,
        severity="P0",
        page_opened_at=OPEN,
        ticket_opened_at=TICKET_OPENED,
        founder_cto_after=30 * MIN,
        done=frozenset({0}),
    )
    assert raised.steps[2].after == timedelta(0)
    state = PageState(opened_at=OPEN, done=frozenset({0}))
    assert [s.target for s in next_steps(raised, state, OPEN + 5 * MIN).fire] == [
        Target.FOUNDER_CTO
    ]


def test_lowered_before_the_founder_step_fired_the_chain_loses_it() -> None:
    lowered = replan(
        P0,
        severity="P1",
        page_opened_at=OPEN,
        ticket_opened_at=OPEN,
        founder_cto_after=30 * MIN,
        done=frozenset({0}),
    )
    assert lowered == P1


def test_the_snapshot_holds_for_everything_else() -> None:
    def again(chain: Chain, severity: str, done: set[int]) -> Chain:
        return replan(
            chain,
            severity=severity,
            page_opened_at=OPEN,
            ticket_opened_at=OPEN,
            founder_cto_after=30 * MIN,
            done=frozenset(done),
        )

    assert again(P0, "P1", {0, 1, 2}) == P0  # the founder step fired: it stays as history
    assert again(P0, "P0", set()) == P0
    assert again(P1, "P2", set()) == P1
    slow = Chain((P1.steps[0], Step(1, Target.SECONDARY, 15 * MIN, Unless.ACKNOWLEDGED)))
    assert again(slow, "P0", set()).steps[1].after == 15 * MIN


@settings(max_examples=300, deadline=None)
@given(
    vacant=st.sets(st.sampled_from(list(Target))),
    done=st.sets(st.integers(min_value=0, max_value=2)),
    acked=st.none() | minutes,
    at=minutes,
)
def test_nobody_is_paged_for_a_vacant_role_and_every_open_vacant_step_is_skipped(
    vacant: set[Target], done: set[int], acked: int | None, at: int
) -> None:
    ack_at = OPEN + acked * MIN if acked is not None and acked <= at else None
    state = PageState(opened_at=OPEN, acknowledged_at=ack_at, done=frozenset(done))
    plan = next_steps(P0, state, OPEN + at * MIN, vacant=frozenset(vacant))
    decided = [*plan.fire, *plan.never, *plan.skip]
    assert len(decided) == len({s.number for s in decided})  # each step decided once
    assert not {s.number for s in decided} & done
    assert all(s.target not in vacant for s in plan.fire)
    assert all(s.target in vacant for s in plan.skip)
    for step in P0.steps:
        if step.number not in done and step.target in vacant and step not in plan.never:
            assert step in plan.skip  # at once, whatever its delay
    if P0.steps[0] in plan.skip and 1 not in done and P0.steps[1] not in (*plan.never, *plan.skip):
        assert P0.steps[1] in plan.fire  # nobody to acknowledge: the secondary at once
