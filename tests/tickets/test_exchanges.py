"""T1 → T2 (READING.md §4, §9): the pure rule, at its edges and for every interleaving."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.tickets.domain.exchanges import (
    PublicMessage,
    Speaker,
    escalates_to_t2,
    t1_replies,
)

C, T1, X = (PublicMessage(s) for s in (Speaker.CUSTOMER, Speaker.T1, Speaker.OTHER_AGENT))
THANKS = PublicMessage(Speaker.CUSTOMER, to_solved=True)
"""A customer's reply to a ticket that was solved when they wrote ("¡gracias!")."""


@pytest.mark.parametrize(
    ("earlier", "reply", "limit", "moves"),
    [
        ([], C, 2, False),
        ([C], C, 2, False),
        ([C, T1], C, 2, False),  # one back-and-forth
        ([C, T1, C, T1], C, 2, True),  # the second one fails
        ([C, T1, T1], C, 2, True),  # T1, T1, customer: two T1 replies, however they interleave
        ([C, T1, C, C, T1], C, 2, True),
        ([C, T1, X, T1], C, 2, True),  # another tier or a bot between them changes nothing
        ([C, X, C, X, X], C, 2, False),  # bots and other tiers never count
        ([C, T1, T1], T1, 2, False),  # only a customer's reply moves it
        ([C, T1, T1], X, 2, False),
        ([C, T1, T1], THANKS, 2, False),  # a thank-you to a solved ticket is no failure
        ([C, T1, T1, THANKS, T1], C, 2, False),  # ... and starts the count again
        ([C, T1, T1, THANKS, T1, T1], C, 2, True),
        ([C, T1, THANKS, T1, THANKS], C, 2, False),
        ([C, T1], C, 1, True),  # the limit is the policy's
        ([C, T1, T1], C, 3, False),
        ([C], C, 0, True),
    ],
)
def test_when_a_customer_reply_moves_the_ticket_to_t2(earlier, reply, limit, moves):  # type: ignore[no-untyped-def]
    assert escalates_to_t2(earlier, reply, limit=limit) is moves


def test_the_count_is_of_t1_replies_since_the_last_reopening() -> None:
    assert t1_replies([]) == 0
    assert t1_replies([C, T1, X, T1, C, T1]) == 3
    assert t1_replies([C, T1, T1, THANKS]) == 0
    assert t1_replies([C, T1, T1, THANKS, C, T1]) == 1


messages = st.lists(st.sampled_from([C, T1, X, THANKS]), max_size=12)
limits = st.integers(min_value=0, max_value=4)


def reference(earlier: list[PublicMessage], reply: PublicMessage, limit: int) -> bool:
    """READING.md §9 read literally: the T1 replies after the last reopening reply."""
    reopened = [i for i, m in enumerate(earlier) if m == THANKS]
    since = earlier[reopened[-1] + 1 :] if reopened else earlier
    return reply == C and sum(m == T1 for m in since) >= limit


@given(messages, st.sampled_from([C, T1, X, THANKS]), limits)
def test_the_rule_matches_the_reading(earlier, reply, limit):  # type: ignore[no-untyped-def]
    assert escalates_to_t2(earlier, reply, limit=limit) is reference(earlier, reply, limit)


@given(messages, limits)
def test_no_reply_to_a_solved_ticket_moves_it(earlier, limit):  # type: ignore[no-untyped-def]
    assert not escalates_to_t2(earlier, THANKS, limit=limit)


@given(messages, messages, limits)
def test_only_what_came_after_the_last_reopening_counts(before, after, limit):  # type: ignore[no-untyped-def]
    after = [m for m in after if m != THANKS]
    assert escalates_to_t2([*before, THANKS, *after], C, limit=limit) is escalates_to_t2(
        after, C, limit=limit
    )


@given(messages, st.lists(st.integers(min_value=0, max_value=12), max_size=4), limits)
def test_bots_and_other_tiers_never_change_the_outcome(earlier, places, limit):  # type: ignore[no-untyped-def]
    noisy = list(earlier)
    for place in places:
        noisy.insert(min(place, len(noisy)), X)
    assert escalates_to_t2(noisy, C, limit=limit) is escalates_to_t2(earlier, C, limit=limit)


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_every_interleaving_of_t1_and_customer_replies_moves_it_at_the_limit(limit: int) -> None:
    for n_t1, n_customer in itertools.product(range(5), range(4)):
        for order in set(itertools.permutations([T1] * n_t1 + [C] * n_customer)):
            assert escalates_to_t2([C, *order], C, limit=limit) is (n_t1 >= limit), order
