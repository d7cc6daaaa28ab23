"""Ranking the index's candidates: which earlier tickets read most like this one. Pure.

The index (``feedback.similarity``) finds the earlier tickets that share stems with this one,
best first by its own relevance (FTS5's bm25, PostgreSQL's ts_rank); rapidfuzz then compares
their folded words with this ticket's, character by character, which forgives typos and
missing accents the stems cannot. The measured choice (``bench/similar.py``, docs/feedback.md):
``fuzz.token_set_ratio``, blended with the index's order so that a candidate sharing rare stems
is not overtaken by one that merely spells alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

Scorer = Callable[..., float]

INDEX_WEIGHT = 0.35
"""How much the index's order counts in the score (the rest is rapidfuzz's similarity)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    number: int
    words: str
    """Folded (``wording.fold``): what rapidfuzz compares."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    number: int
    score: float
    """0 to 1: higher reads more like the ticket."""


def rank(
    words: str,
    candidates: Sequence[Candidate],
    *,
    limit: int,
    scorer: Scorer = fuzz.token_set_ratio,
    index_weight: float = INDEX_WEIGHT,
) -> list[Suggestion]:
    """The best ``limit`` of ``candidates`` (given in the index's order, best first) for a
    ticket whose folded words are ``words``: highest score first, then the index's order."""
    if not candidates or limit < 1:
        return []
    found = process.extract(
        words,
        [c.words for c in candidates],
        scorer=scorer,
        limit=None,
    )
    n = len(candidates)
    scored = []
    for _, similarity, i in found:
        place = 1 - i / n  # 1 for the index's best, towards 0 for its last
        score = (1 - index_weight) * similarity / 100 + index_weight * place
        scored.append((-round(score, 4), i))
    scored.sort()
    return [Suggestion(candidates[i].number, -negative) for negative, i in scored[:limit]]
