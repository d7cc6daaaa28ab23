"""Knowledge base search on SQLite: FTS5 over the entries (``kb_search_fts``: the title and
text, accents removed by the ``unicode61 remove_diacritics 2`` tokenizer, and their Snowball
stems), ranked by ``bm25`` with the title above the text; snippets marked from the stems in
Python; corrections from the vocabulary words of similar length and the same first letter,
compared with rapidfuzz."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from soporte.kb.domain import search as rules

WEIGHTS = "10.0, 1.0, 10.0, 1.0"
"""``bm25`` weights of the FTS5 columns: title, text, title stems, text stems."""
LENGTH_SLACK = 2
"""A correction is at most this many letters longer or shorter than the misspelt word."""

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


def candidates(language: str, words: Sequence[str]) -> list[tuple[str, str]]:
    """The vocabulary words ``words`` may be corrected to, most used first: those of a similar
    length that begin with the same letter (a misspelling seldom starts with the wrong one,
    and the vocabulary's index reads just those), which rapidfuzz then compares."""
    shortest = min(len(w) for w in words) - LENGTH_SLACK
    longest = max(len(w) for w in words) + LENGTH_SLACK
    initials = sorted({w[0] for w in words})
    ranges = " OR ".join(["(word >= %s AND word < %s)"] * len(initials))
    sql = (
        f"SELECT word, spelling FROM kb_searchword WHERE language = %s AND ({ranges})"
        " AND length(word) BETWEEN %s AND %s ORDER BY articles DESC, word"
    )
    bounds = [b for i in initials for b in (i, chr(ord(i) + 1))]
    with connection.cursor() as cursor:
        cursor.execute(sql, [language, *bounds, shortest, longest])
        return [(str(w), str(s)) for w, s in cursor.fetchall()]
