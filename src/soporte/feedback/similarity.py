"""The similar-ticket index: writing a ticket's entry and asking which earlier tickets share
its stems.

One table, ``TicketWording`` (the stems, a month token, the folded words), indexed by SQLite
FTS5 and by a PostgreSQL GIN index over a ``tsvector`` (migration ``0002_wording_index``).
A question is "any of these stems, in one of these months": the month tokens keep the index's
answer inside the 180-day window, so a question reads the matching postings of a few months,
never the table; the best ``RERANK`` by the index's relevance go to the reranking
(``domain.ranking``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection

from soporte.db.insert import insert_rows
from soporte.feedback.domain import wording
from soporte.feedback.domain.ranking import Candidate
from soporte.feedback.models import TicketWording

RERANK = 100
"""How many of the index's best candidates the reranking reads."""
QUESTION_STEMS = 32
"""How many of a ticket's stems a question names (a long first message says more than enough
in its first lines)."""
WORDS_LIMIT = 400
"""How many characters of folded words an entry keeps for the reranking."""


def entry(subject: str, body: str, received: datetime) -> dict[str, object]:
    """The index row (but its key, the ticket) of a ticket with ``subject`` and first message
    ``body`` received at ``received``: the stems, after the month token, and the words."""
    text = f"{subject}\n{body}"
    month = wording.months(received, received)[0]
    return {
        "opened_at": received,
        "terms": f"{month} {wording.terms(text)}".strip(),
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
    """The stems an entry asks the index about: its terms without the month token, the first
    ``QUESTION_STEMS`` (the subject's come first)."""
    return wording_row.terms.split()[1 : 1 + QUESTION_STEMS]


def candidates(
    stems: Sequence[str], *, before: tuple[datetime, int], since: datetime, limit: int = RERANK
) -> list[Candidate]:
    """Up to ``limit`` tickets opened from ``since`` and before ``before`` (``opened_at``, then
    number) that share one of ``stems``, best first by the index's relevance."""
    at, number = before
    if not stems or at < since:
        return []
    months = wording.months(since, at)
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "postgresql":
        query = f"({' | '.join(months)}) & ({' | '.join(stems)})"
        sql = (
            "SELECT ticket_id, words FROM feedback_ticketwording, to_tsquery('simple', %s) q"
            " WHERE search @@ q AND opened_at >= %s"
            " AND (opened_at < %s OR (opened_at = %s AND ticket_id < %s))"
            " ORDER BY ts_rank(search, q) DESC, ticket_id DESC LIMIT %s"
        )
    else:
        query = f"({' OR '.join(months)}) AND ({' OR '.join(_quoted(stems))})"
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
