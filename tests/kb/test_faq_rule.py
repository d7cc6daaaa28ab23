"""The pinned-FAQ rule (``soporte.kb.domain.faq``): its table of edges, then properties held over
random and exhaustive small universes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soporte.feedback.domain.weeks import Week
from soporte.kb.domain.faq import (
    Decision,
    Outcome,
    Pending,
    Pin,
    decide,
    seen_least_recently,
    streak_weeks,
)

W49 = Week(2026, 49)
T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)


def weeks_back(week: Week, *back: int) -> dict[Week, int]:
    return {week.shifted(-b): 1 for b in back}


def pin(key: str, last: Week | None, *, pinned: int = 0, position: int = 0) -> Pin:
    return Pin(key, frozenset({f"q-{key}"}), T0 + timedelta(days=pinned), position, last)


def run(
    seen: dict[str, dict[Week, int]],
    pins: list[Pin] = [],  # noqa: B006 - never mutated
    *,
    week: Week = W49,
    pending: list[Pending] = [],  # noqa: B006
    rejected: dict[str, Week] = {},  # noqa: B006
    capacity: int = 10,
    streak: int = 3,
) -> Outcome:
    return decide(
        week=week,
        seen=seen,
        pins=pins,
        pending=pending,
        rejected=rejected,
        streak=streak,
        capacity=capacity,
    )


def test_three_weeks_in_a_row_fill_a_free_place() -> None:
    outcome = run({"q": weeks_back(W49, 0, 1, 2)})
    assert outcome.decisions == (Decision("q", (Week(2026, 47), Week(2026, 48), W49), 3, None),)


def test_two_weeks_are_not_enough_and_a_skipped_week_restarts_the_streak() -> None:
    assert run({"q": weeks_back(W49, 0, 1)}).decisions == ()
    assert run({"q": weeks_back(W49, 0, 1, 3, 4)}).decisions == ()
    assert run({"q": weeks_back(W49, 0, 1, 2)}, week=W49.shifted(1)).decisions == ()
    # weeks after the week just ended do not count
    assert run({"q": weeks_back(W49, -1, 0, 1)}).decisions == ()


def test_a_streak_crosses_the_iso_year_with_its_53rd_week() -> None:
    first = Week(2027, 1)
    assert streak_weeks(first, 3) == (Week(2026, 52), Week(2026, 53), first)
    outcome = run({"q": {Week(2026, 52): 1, Week(2026, 53): 2, first: 1}}, week=first)
    assert [d.weeks for d in outcome.decisions] == [(Week(2026, 52), Week(2026, 53), first)]
    # 2026-W52 and 2027-W01 are not consecutive: W53 is between them
    assert run({"q": {Week(2026, 51): 1, Week(2026, 52): 1, first: 1}}, week=first).decisions == ()


def test_a_pinned_question_is_not_proposed_but_its_last_seen_moves() -> None:
    pins = [pin("a", Week(2026, 40))]
    outcome = run({"q-a": weeks_back(W49, 0, 1, 2)}, pins)
    assert outcome.decisions == ()
    assert outcome.last_seen == {"a": W49}


def test_last_seen_never_moves_back_nor_forward_past_the_week() -> None:
    pins = [pin("a", W49)]
    outcome = run({"q-a": weeks_back(W49, 3, -2)}, pins)
    assert outcome.last_seen == {"a": W49}
    assert run({}, [pin("b", None)]).last_seen == {"b": None}


def test_a_pending_proposal_is_not_duplicated_and_holds_its_place() -> None:
    pins = [pin("a", Week(2026, 40)), pin("b", Week(2026, 41), position=1)]
    seen = {"x": weeks_back(W49, 0, 1, 2), "y": weeks_back(W49, 0, 1, 2)}
    outcome = run(seen, pins, pending=[Pending("x", "a")], capacity=2)
    assert outcome.decisions == (Decision("y", streak_weeks(W49, 3), 3, "b"),)


def test_a_pending_proposal_for_a_free_place_takes_it() -> None:
    seen = {"y": weeks_back(W49, 0, 1, 2)}
    outcome = run(seen, [pin("a", W49)], pending=[Pending("x", None)], capacity=2)
    assert [d.replaces for d in outcome.decisions] == ["a"]


def test_several_candidates_most_tickets_then_earliest_first_seen_then_key() -> None:
    seen = {
        "c": {W49: 1, W49.shifted(-1): 1, W49.shifted(-2): 1},
        "b": {W49: 1, W49.shifted(-1): 1, W49.shifted(-2): 1, W49.shifted(-5): 1},
        "a": {W49: 1, W49.shifted(-1): 1, W49.shifted(-2): 1},
        "z": {W49: 5, W49.shifted(-1): 1, W49.shifted(-2): 1},
    }
    assert [d.question for d in run(seen).decisions] == ["z", "b", "a", "c"]


def test_free_places_fill_first_then_least_recently_seen_pins_give_way() -> None:
    pins = [pin("new", W49.shifted(-1)), pin("old", W49.shifted(-9), position=1)]
    seen = {q: weeks_back(W49, 0, 1, 2) for q in ("p", "q", "r", "s")}
    outcome = run(seen, pins, capacity=3)
    assert [d.replaces for d in outcome.decisions] == [None, "old", "new"]
    assert [d.question for d in outcome.decisions] == ["p", "q", "r"]


def test_never_two_candidates_replace_one_pin_the_rest_wait() -> None:
    seen = {q: weeks_back(W49, 0, 1, 2) for q in ("p", "q")}
    outcome = run(seen, [pin("a", None)], capacity=1)
    assert [(d.question, d.replaces) for d in outcome.decisions] == [("p", "a")]
    assert run(seen, [pin("a", None)], pending=[Pending("p", "a")], capacity=1).decisions == ()


@pytest.mark.parametrize(
    ("pins", "first"),
    [
        ([pin("seen", W49), pin("never", None, pinned=5)], "never"),
        ([pin("late", W49, pinned=1), pin("early", W49, pinned=0, position=3)], "early"),
        ([pin("two", W49, position=2), pin("one", W49, position=1)], "one"),
    ],
)
def test_ties_in_seen_least_recently(pins: list[Pin], first: str) -> None:
    assert seen_least_recently(pins)[0].key == first


def test_a_rejected_question_needs_a_new_full_streak_after_the_rejection() -> None:
    seen = {"q": weeks_back(W49, 0, 1, 2, 3, 4)}
    assert run(seen, rejected={"q": W49.shifted(-2)}).decisions == ()
    assert run(seen, rejected={"q": W49.shifted(-3)}).decisions != ()


def test_no_room_at_all_and_bad_parameters() -> None:
    assert run({"q": weeks_back(W49, 0, 1, 2)}, capacity=0).decisions == ()
    with pytest.raises(ValueError, match="streak"):
        run({}, streak=0)


# --------------------------------------------------------------------------- properties

QUESTIONS = ["a", "b", "c", "d", "e"]
HISTORY = [W49.shifted(-b) for b in range(5)]


def check(outcome: Outcome, *, seen, pins, pending, rejected, streak, capacity) -> None:  # type: ignore[no-untyped-def]
    """The rule's promises for one set of inputs."""
    decisions = outcome.decisions
    fills = sum(d.replaces is None for d in decisions)
    free = capacity - len(pins) - sum(p.replaces is None for p in pending)
    assert fills <= max(free, 0)  # never more pins (and places promised) than capacity
    targets = [d.replaces for d in decisions if d.replaces is not None]
    reserved = {p.replaces for p in pending}
    assert len(targets) == len(set(targets))
    assert not reserved & set(targets)
    weeks = streak_weeks(W49, streak)
    pinned = {q for p in pins for q in p.questions}
    for d in decisions:
        assert all(seen[d.question].get(w, 0) > 0 for w in weeks)
        assert d.question not in pinned
        assert d.question not in {p.question for p in pending}
        assert d.question not in rejected or rejected[d.question] < weeks[0]
    if targets:
        givers = [
            Pin(p.key, p.questions, p.pinned_at, p.position, outcome.last_seen[p.key])
            for p in pins
            if p.key not in reserved
        ]
        order = [p.key for p in seen_least_recently(givers)]
        assert targets == order[: len(targets)]
        assert fills == max(free, 0)  # free places filled before any pin is replaced
    inputs = {"seen": seen, "pins": pins, "pending": pending, "rejected": rejected}
    assert decide(week=W49, streak=streak, capacity=capacity, **inputs) == outcome


def auto_pinned(outcome: Outcome, pins: list[Pin]) -> list[Pin]:
    """The pins after pinning every decision (the policy's automatic mode)."""
    gone = {d.replaces for d in outcome.decisions}
    kept = [
        Pin(p.key, p.questions, p.pinned_at, p.position, outcome.last_seen[p.key])
        for p in pins
        if p.key not in gone
    ]
    new = [
        Pin(f"new-{d.question}", frozenset({d.question}), T0, 99, W49) for d in outcome.decisions
    ]
    return kept + new


seen_strategy = st.dictionaries(
    st.sampled_from(QUESTIONS),
    st.dictionaries(st.sampled_from(HISTORY), st.integers(1, 4), max_size=5),
    max_size=5,
)


@st.composite
def pins_strategy(draw: st.DrawFn) -> list[Pin]:
    keys = draw(st.lists(st.sampled_from([*QUESTIONS, "f", "g"]), unique=True, max_size=4))
    return [
        Pin(
            f"pin-{k}",
            frozenset({k}),
            T0 + timedelta(days=draw(st.integers(0, 2))),
            draw(st.integers(0, 3)),
            draw(st.none() | st.sampled_from(HISTORY)),
        )
        for k in keys
    ]


@settings(max_examples=300, deadline=None)
@given(
    seen=seen_strategy,
    pins=pins_strategy(),
    pending_questions=st.lists(st.sampled_from(QUESTIONS), unique=True, max_size=2),
    rejected=st.dictionaries(st.sampled_from(QUESTIONS), st.sampled_from(HISTORY), max_size=2),
    streak=st.integers(1, 4),
    capacity=st.integers(0, 5),
    data=st.data(),
)
def test_properties_hold_for_random_inputs(
    seen: dict[str, dict[Week, int]],
    pins: list[Pin],
    pending_questions: list[str],
    rejected: dict[str, Week],
    streak: int,
    capacity: int,
    data: st.DataObject,
) -> None:
    pin_keys = [p.key for p in pins]
    pending: list[Pending] = []
    for question in pending_questions:
        target = data.draw(st.none() | st.sampled_from(pin_keys) if pin_keys else st.none())
        if target is not None and target in {p.replaces for p in pending}:
            target = None
        pending.append(Pending(question, target))
    inputs: dict[str, Any] = {
        "seen": seen,
        "pins": pins,
        "pending": pending,
        "rejected": rejected,
        "streak": streak,
        "capacity": capacity,
    }
    outcome = decide(week=W49, **inputs)
    check(outcome, **inputs)
    again = decide(week=W49, **{**inputs, "pins": auto_pinned(outcome, pins)})
    assert {d.question for d in again.decisions}.isdisjoint({d.question for d in outcome.decisions})


@pytest.mark.slow
def test_properties_hold_over_every_small_universe() -> None:
    """Every way three questions can be seen over four weeks, with up to two pins."""
    weeks = [W49.shifted(-b) for b in range(4)]
    patterns = list(itertools.product([0, 1], repeat=len(weeks)))
    pin_sets = [[], [pin("x", None)], [pin("x", weeks[1]), pin("y", weeks[3], position=1)]]
    checked = 0
    for a, b, c in itertools.product(patterns, repeat=3):
        seen = {
            q: {w: n for w, n in zip(weeks, pattern, strict=True) if n}
            for q, pattern in zip("abc", (a, b, c), strict=True)
        }
        seen = {q: counts for q, counts in seen.items() if counts}
        for pins, capacity in itertools.product(pin_sets, (1, 2, 3)):
            outcome = decide(
                week=W49,
                seen=seen,
                pins=pins,
                pending=[],
                rejected={},
                streak=3,
                capacity=capacity,
            )
            check(
                outcome, seen=seen, pins=pins, pending=[], rejected={}, streak=3, capacity=capacity
            )
            streaks = [q for q in seen if all(w in seen[q] for w in weeks[:3])]
            room = max(capacity - len(pins), 0) + len(pins)
            assert len(outcome.decisions) == min(len(streaks), room)
            checked += 1
    assert checked == len(patterns) ** 3 * 9
