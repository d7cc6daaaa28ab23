"""The weekly review's pure rules: which week an answer is an item of, what a disposition must
say, when a week may close or reopens, when the digest is due, and the digest's figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.feedback.domain import review
from soporte.feedback.domain.review import CloseRefusal, Kind, Problem, Ratio, Row
from soporte.feedback.domain.weeks import Week, span

MX = "America/Mexico_City"
TZ = ZoneInfo(MX)
ANSWERS = ("up", "neutral", "down")


def week(answer: str, at: datetime | None) -> Week | None:
    return review.item_week(answer=answer, answered_at=at, answers=ANSWERS, zone=MX)


@pytest.mark.parametrize(
    ("answer", "at", "expected"),
    [
        ("neutral", datetime(2026, 12, 6, 23, 59, 59, tzinfo=TZ), Week(2026, 49)),  # Sunday
        ("down", datetime(2026, 12, 7, 0, 0, tzinfo=TZ), Week(2026, 50)),  # Monday 00:00
        ("neutral", datetime(2026, 12, 7, 5, 59, 59, tzinfo=UTC), Week(2026, 49)),
        ("neutral", datetime(2026, 12, 7, 6, 0, tzinfo=UTC), Week(2026, 50)),
        # 2022, daylight saving time (UTC-5) until Sunday 30 Oct 02:00: the week still ends
        # at Monday 00:00 on the wall clock, whatever the offset.
        ("down", datetime(2022, 4, 4, 4, 59, 59, tzinfo=UTC), Week(2022, 13)),  # Sun 23:59:59 CDT
        ("down", datetime(2022, 4, 4, 5, 0, tzinfo=UTC), Week(2022, 14)),  # Mon 00:00 CDT
        ("down", datetime(2022, 10, 31, 5, 59, 59, tzinfo=UTC), Week(2022, 43)),  # Sun, CST
        ("down", datetime(2022, 10, 31, 6, 0, tzinfo=UTC), Week(2022, 44)),
        ("down", datetime(2027, 1, 3, 23, 59, 59, tzinfo=TZ), Week(2026, 53)),  # year end
        ("up", datetime(2026, 12, 7, 0, 0, tzinfo=TZ), None),  # the best answer: no item
        ("", None, None),  # not answered
    ],
)
def test_an_answer_below_the_best_is_an_item_of_its_wall_clock_week(answer, at, expected):  # type: ignore[no-untyped-def]
    assert week(answer, at) == expected


def test_an_unknown_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown answer"):
        week("meh", datetime(2026, 12, 7, tzinfo=TZ))


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        (
            "kb_article",
            {"link": " https://trackmyvend.com/Manuales.html "},
            "https://trackmyvend.com/Manuales.html",
        ),
        (
            "product_fix",
            {"link": "http://github.example/tmv/issues/12"},
            "http://github.example/tmv/issues/12",
        ),
        ("coaching", {"note": " Ask for the org ID first ", "link": "https://x.example"}, ""),
        ("no_action", {"reason": "customer misread the report"}, ""),
    ],
)
def test_a_valid_disposition_keeps_only_what_its_kind_asks_for(kind, fields, expected):  # type: ignore[no-untyped-def]
    decided = review.decision(kind, **fields)
    assert decided.kind == Kind(kind)
    assert decided.link == expected
    assert decided.note == ("Ask for the org ID first" if kind == "coaching" else "")
    assert decided.reason == ("customer misread the report" if kind == "no_action" else "")


@pytest.mark.parametrize(
    ("kind", "fields", "problem", "field"),
    [
        ("", {}, Problem.UNKNOWN_KIND, "kind"),
        ("post_mortem", {}, Problem.UNKNOWN_KIND, "kind"),
        ("kb_article", {}, Problem.LINK_MISSING, "link"),
        ("kb_article", {"link": "   "}, Problem.LINK_MISSING, "link"),
        ("product_fix", {"link": "ftp://files.example/x"}, Problem.LINK_NOT_WEB, "link"),
        ("product_fix", {"link": "javascript:alert(1)"}, Problem.LINK_NOT_WEB, "link"),
        ("kb_article", {"link": "https://kb.example/a b"}, Problem.LINK_NOT_WEB, "link"),
        ("kb_article", {"link": "https://kb.example/" + "a" * 500}, Problem.LINK_TOO_LONG, "link"),
        ("coaching", {"link": "https://kb.example"}, Problem.NOTE_MISSING, "note"),
        ("no_action", {"note": "x"}, Problem.REASON_MISSING, "reason"),
    ],
)
def test_a_disposition_missing_its_text_names_the_field(kind, fields, problem, field):  # type: ignore[no-untyped-def]
    with pytest.raises(review.DispositionError) as caught:
        review.decision(kind, **fields)
    assert caught.value.problem is problem
    assert problem.field == field


W49 = Week(2026, 49)
MONDAY_AFTER = datetime(2026, 12, 7, 0, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("closed", "items", "disposed", "now", "expected"),
    [
        (False, [1, 2], {1, 2}, MONDAY_AFTER, None),
        (False, [], set(), MONDAY_AFTER, None),  # a week without items closes too
        (False, [1, 2], {1}, MONDAY_AFTER, CloseRefusal.UNDISPOSED),
        (False, [1], {1}, MONDAY_AFTER - timedelta(microseconds=1), CloseRefusal.NOT_ENDED),
        (True, [1], {1}, MONDAY_AFTER, CloseRefusal.ALREADY_CLOSED),
    ],
)
def test_a_week_closes_once_over_with_every_item_disposed(closed, items, disposed, now, expected):  # type: ignore[no-untyped-def]
    refusal = review.close_refusal(
        week=W49, zone=MX, closed=closed, items=items, disposed=disposed, now=now
    )
    assert refusal is expected


@pytest.mark.parametrize(
    ("closed", "is_item", "disposed", "expected"),
    [
        (True, True, False, True),  # 👍 → 😐 after the close: the week reopens
        (True, True, True, False),  # 😐 → 👎, already disposed: stays closed
        (True, False, False, False),  # 😐 → 👍: no longer an item
        (False, True, False, False),  # open anyway
    ],
)
def test_a_changed_answer_reopens_a_closed_week_only_for_a_new_undisposed_item(  # type: ignore[no-untyped-def]
    closed, is_item, disposed, expected
):
    assert review.reopens(closed=closed, is_item=is_item, disposed=disposed) is expected


@pytest.mark.parametrize(
    ("week_", "due"),
    [
        (Week(2026, 49), datetime(2026, 12, 7, 9, 0, tzinfo=TZ)),
        (Week(2026, 53), datetime(2027, 1, 4, 9, 0, tzinfo=TZ)),  # across the year end
        (Week(2027, 52), datetime(2028, 1, 3, 9, 0, tzinfo=TZ)),
        (Week(2022, 13), datetime(2022, 4, 4, 14, 0, tzinfo=UTC)),  # 09:00 CDT (UTC-5)
        (Week(2022, 44), datetime(2022, 11, 7, 15, 0, tzinfo=UTC)),  # 09:00 CST (UTC-6)
    ],
)
def test_the_digest_is_due_the_next_monday_at_nine_mexico_city(week_, due):  # type: ignore[no-untyped-def]
    assert review.digest_due(week_, MX) == due


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 7, 9, 0, tzinfo=TZ), Week(2026, 49)),  # exactly due: that one
        (datetime(2026, 12, 7, 9, 0, 1, tzinfo=TZ), Week(2026, 50)),
        (datetime(2026, 12, 6, 23, 0, tzinfo=TZ), Week(2026, 49)),
        (datetime(2027, 1, 2, 12, 0, tzinfo=TZ), Week(2026, 53)),
    ],
)
def test_the_next_digest(now, expected):  # type: ignore[no-untyped-def]
    assert review.next_digest(now, MX) == expected


INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@given(INSTANTS)
def test_the_next_digest_is_the_first_due_at_or_after_now(now: datetime) -> None:
    week_ = review.next_digest(now, MX)
    due = review.digest_due(week_, MX)
    assert now <= due < now + timedelta(weeks=1)
    assert review.digest_due(week_.shifted(-1), MX) < now
    local = due.astimezone(TZ)
    assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)
    assert due >= span(week_, MX)[1]  # only once the week is over


@given(INSTANTS)
def test_an_item_lies_within_its_week(at: datetime) -> None:
    found = week("down", at)
    assert found is not None
    start, end = span(found, MX)
    assert start <= at < end


def count(sent: list[Row], answered: list[Row]) -> review.Figures:
    return review.figures(
        sent=sent,
        answered=answered,
        answers=ANSWERS,
        tiers=["T1", "T2", "T3"],
        plans=["starter", "pro", "enterprise"],
    )


def test_the_figures_of_a_week() -> None:
    sent = [
        Row("up", "T1", "pro", "met"),
        Row("down", "T2", "starter", "missed"),
        Row("", "T1", "pro", "met"),
        Row("", "T1", "pro", ""),  # no first-response clock: not counted for the SLA
    ]
    answered = [
        Row("up", "T1", "pro", "met"),
        Row("up", "T1", "enterprise", "met"),
        Row("neutral", "T1", "pro", "met"),
        Row("down", "T2", "starter", "missed"),
    ]
    got = count(sent, answered)
    assert got.sent == 4
    assert got.faces == {"up": 2, "neutral": 1, "down": 1}
    assert got.response_rate == Ratio(2, 4)
    assert got.csat == Ratio(2, 4)
    assert got.csat_by_tier == {"T1": Ratio(2, 3), "T2": Ratio(0, 1)}
    assert got.csat_by_plan == {
        "starter": Ratio(0, 1),
        "pro": Ratio(1, 2),
        "enterprise": Ratio(1, 1),
    }
    assert got.sla_met == Ratio(2, 3)
    assert [Ratio(2, 3).percent, Ratio(1, 8).percent, Ratio(0, 0).percent] == [67, 13, None]


ROWS = st.lists(
    st.builds(
        Row,
        answer=st.sampled_from(["", *ANSWERS]),
        tier=st.sampled_from(["T1", "T2", "T3"]),
        plan=st.sampled_from(["starter", "pro", "enterprise"]),
        first_response=st.sampled_from(["", "met", "missed", "breached"]),
    ),
    max_size=30,
)


@given(ROWS, ROWS)
def test_figures_are_shares_of_what_they_count(sent: list[Row], answered: list[Row]) -> None:
    got = count(sent, answered)
    given_ = [r for r in answered if r.answer]
    assert sum(got.faces.values()) == got.csat.total == len(given_)
    assert sum(r.total for r in got.csat_by_tier.values()) == len(given_)
    assert sum(r.hits for r in got.csat_by_plan.values()) == got.csat.hits
    for ratio in (got.response_rate, got.csat, got.sla_met):
        assert 0 <= ratio.hits <= ratio.total
        assert ratio.percent is None or 0 <= ratio.percent <= 100
