"""The similar-ticket index: writing a ticket's entry and asking which earlier tickets share
its stems.

One table, ``TicketWording`` (the stems and the folded words), indexed by SQLite FTS5 and by a
PostgreSQL GIN index over a ``tsvector`` (migration ``0005_wording_index``). A question first
asks for the tickets sharing two of the ticket's first ``PAIR_STEMS`` stems: that keeps the
index's answer small even when a stem is in a tenth of the desk's tickets (ranking every
ticket that says "ventas" is what costs, measured in ``bench/similar.py``); when that finds
fewer than ``RERANK``, the tickets sharing any one stem fill up the rest. Each answer is ranked
by the index's relevance (FTS5 ``bm25``, PostgreSQL ``ts_rank``) and goes to the reranking
(``domain.ranking``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import combinations

from django.db import connection

from soporte.db.insert import insert_rows
from soporte.feedback.domain import wording
from soporte.feedback.domain.ranking import Candidate
from soporte.feedback.models import TicketWording

RERANK = 100
"""How many of the index's best candidates the reranking reads."""
PAIR_STEMS = 8
"""How many of a ticket's first stems make the pairs of the first question."""
QUESTION_STEMS = 32
"""How many of a ticket's stems a question names (a long first message says more than enough
in its first lines)."""
WORDS_LIMIT = 400
"""How many characters of folded words an entry keeps for the reranking."""


def entry(subject: str, body: str, received: datetime) -> dict[str, object]:
    """The index row (but its key, the ticket) of a ticket with ``subject`` and first message
    ``body`` received at ``received``: the stems and the words."""
    text = f"{subject}\n{body}"
    return {
        "opened_at": received,
        "terms": wording.terms(text),
        "words": wording.fold(text)[:WORDS_LIMIT],
    }


def index(
    *,
    numbers: Sequence[int],
    subjects: Sequence[str],
    bodies: Sequence[str],
    received: Sequence[datetime],
) -> None:
    """Add the tickets' entries (in the caller's transaction)."""
    rows = [entry(s, b, r) for s, b, r in zip(subjects, bodies, received, strict=True)]
    insert_rows(TicketWording, rows, ids=numbers)


def stems_of(wording_row: TicketWording) -> list[str]:
    """The stems an entry asks the index about: its first ``QUESTION_STEMS`` (the subject's
    come first)."""
    return wording_row.terms.split()[:QUESTION_STEMS]


def candidates(
    stems: Sequence[str], *, before: tuple[datetime, int], since: datetime, limit: int = RERANK
) -> list[Candidate]:
    """Up to ``limit`` tickets opened from ``since`` and before ``before`` (``opened_at``, then
    number) that share stems with ``stems``: those sharing two first, then those sharing
    one; each part best first by the index's relevance."""
    if not stems or before[0] < since:
        return []
    first = list(combinations(stems[:PAIR_STEMS], 2))
    found = _ask(first, before=before, since=since, limit=limit) if first else []
    if len(found) < limit:
        seen = {c.number for c in found}
        rest = _ask([(s,) for s in stems], before=before, since=since, limit=limit)
        found += [c for c in rest if c.number not in seen][: limit - len(found)]
    return found


def _ask(
    groups: Sequence[tuple[str, ...]], *, before: tuple[datetime, int], since: datetime, limit: int
) -> list[Candidate]:
    """The tickets holding every stem of one of ``groups``, in the window, best first."""
    at, number = before
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "postgresql":
        query = " | ".join(f"({' & '.join(group)})" for group in groups)
        sql = (
            "SELECT ticket_id, words FROM feedback_ticketwording, to_tsquery('simple', %s) q"
            " WHERE search @@ q AND opened_at >= %s"
            " AND (opened_at < %s OR (opened_at = %s AND ticket_id < %s))"
            " ORDER BY ts_rank(search, q) DESC, ticket_id DESC LIMIT %s"
        )
    else:
        query = " OR ".join(f"({' AND '.join(_quoted(group))})" for group in groups)
        sql = (
            "SELECT w.ticket_id, w.words FROM feedback_wording_fts f"
            " JOIN feedback_ticketwording w ON w.ticket_id = f.rowid"
            " WHERE feedback_wording_fts MATCH %s AND w.opened_at >= %s"
            " AND (w.opened_at < %s OR (w.opened_at = %s AND w.ticket_id < %s))"
            " ORDER BY bm25(feedback_wording_fts), w.ticket_id DESC LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, adapt(since), adapt(at), adapt(at), number, limit])
        return [Candidate(int(pk), text) for pk, text in cursor.fetchall()]


def _quoted(stems: Sequence[str]) -> list[str]:
    return [f'"{stem}"' for stem in stems]
