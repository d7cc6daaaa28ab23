"""Knowledge base search on SQLite: FTS5 over the entries (``kb_search_fts``: the title and
text, accents removed by the ``unicode61 remove_diacritics 2`` tokenizer, and their Snowball
stems), ranked by ``bm25`` with the title above the text; snippets marked from the stems in
Python; corrections from the whole vocabulary of similar length, compared with rapidfuzz."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
    marked = _marker(found, language)
    hits = [(pk, title, slug, rules.snippet(text, marked)) for pk, title, slug, text, _ in rows]
    return hits, int(rows[0][4])


def _marker(found: rules.Terms, language: str) -> Callable[[str], bool]:
    """Whether a folded word of a text is one ``found`` asks: its stem, or the prefix."""
    stems = set(found.stems)
    last = found.words[-1] if found.prefix else None

    def marked(word: str) -> bool:
        if last is not None and word.startswith(last):
            return True
        return rules.stem(word, language) in stems

    return marked


def candidates(language: str, words: Sequence[str]) -> list[tuple[str, str]]:
    """The vocabulary words ``words`` may be corrected to, most used first: those of a
    similar length (rapidfuzz then compares them all)."""
    shortest = min(len(w) for w in words) - LENGTH_SLACK
    longest = max(len(w) for w in words) + LENGTH_SLACK
    sql = (
        "SELECT word, spelling FROM kb_searchword WHERE language = %s"
        " AND length(word) BETWEEN %s AND %s ORDER BY articles DESC, word"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [language, shortest, longest])
        return [(str(w), str(s)) for w, s in cursor.fetchall()]
