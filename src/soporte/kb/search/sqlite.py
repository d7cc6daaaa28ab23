"""Knowledge base search on SQLite: FTS5 over the entries (``kb_search_fts``: the title and
text, accents removed by the ``unicode61 remove_diacritics 2`` tokenizer, and their Snowball
stems), ranked by ``bm25`` with the title above the text; snippets marked from the stems in
Python; corrections from the vocabulary words of similar length and the same first letter
(``kb.search.vocabulary.alike``), compared with rapidfuzz."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from soporte.kb.domain import search as rules
from soporte.kb.search.vocabulary import alike

candidates = alike
"""The vocabulary words a misspelt word may be corrected to (``kb.search.vocabulary``)."""
WEIGHTS = "10.0, 1.0, 10.0, 1.0"
"""``bm25`` weights of the FTS5 columns: title, text, title stems, text stems."""

_MATCHES = f"""
WITH found AS MATERIALIZED (
    SELECT rowid AS id, bm25(kb_search_fts, {WEIGHTS}) AS rank
    FROM kb_search_fts WHERE kb_search_fts MATCH %s
), page AS (
    SELECT found.id, found.rank, count(*) OVER () AS total
    FROM found JOIN kb_article a ON a.id = found.id
    WHERE a.language = %s AND a.status IN ({{statuses}})
    ORDER BY found.rank, found.id LIMIT %s OFFSET %s
)
SELECT page.id, e.title, a.slug, e.text, page.total
FROM page JOIN kb_searchentry e ON e.article_id = page.id JOIN kb_article a ON a.id = page.id
ORDER BY page.rank, page.id"""


def matches(
    found: rules.Terms,
    *,
    language: str,
    statuses: Sequence[str],
    any_word: bool,
    limit: int,
    offset: int,
) -> tuple[list[tuple[int, str, str, str]], int]:
    """The articles matching ``found``, best first: (key, title, slug, snippet) from
    ``offset``, at most ``limit``, and how many match in all."""
    sql = _MATCHES.format(statuses=", ".join(["%s"] * len(statuses)))
    match = rules.fts5_match(found, any_word=any_word)
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, language, *statuses, limit, offset])
        rows = cursor.fetchall()
    if not rows:
        return [], 0
    hits = [
        (pk, title, slug, rules.snippet(text, found, language=language))
        for pk, title, slug, text, _ in rows
    ]
    return hits, int(rows[0][4])
