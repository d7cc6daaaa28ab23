"""The survey rules at their edges: opt-out, the gap between surveys, the answer window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.feedback.domain.surveys import Skip, below_best, open_for_answers, skip

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


@pytest.mark.parametrize(
    ("opted_out", "last_sent", "expected"),
    [
        (False, None, None),
        (True, None, Skip.OPTED_OUT),
        (True, NOW - 10 * DAY, Skip.OPTED_OUT),
        (False, NOW - DAY + timedelta(microseconds=1), Skip.RECENT_SURVEY),
        (False, NOW - DAY, None),  # exactly 24 h later: a new survey
        (False, NOW, Skip.RECENT_SURVEY),
        (False, NOW - 2 * DAY, None),
    ],
)
def test_skip(opted_out, last_sent, expected):  # type: ignore[no-untyped-def]
    assert skip(opted_out=opted_out, last_sent=last_sent, now=NOW, gap=DAY) is expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (NOW, True),
        (NOW - timedelta(microseconds=1), False),  # before it was sent
        (NOW + timedelta(days=14) - timedelta(microseconds=1), True),
        (NOW + timedelta(days=14), False),
    ],
)
def test_answers_are_taken_for_fourteen_days(now, expected):  # type: ignore[no-untyped-def]
    assert open_for_answers(sent_at=NOW, now=now, change_days=14) is expected


def test_below_best():
    answers = ("up", "neutral", "down")
    assert [below_best(a, answers) for a in answers] == [False, True, True]
    with pytest.raises(ValueError, match="unknown answer 'meh'"):
        below_best("meh", answers)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_a_gap_of_zero_never_skips(since):  # type: ignore[no-untyped-def]
    assert skip(opted_out=False, last_sent=NOW - since, now=NOW, gap=timedelta(0)) is None
