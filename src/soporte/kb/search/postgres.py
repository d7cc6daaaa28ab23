"""Knowledge base search on PostgreSQL: a weighted ``tsvector`` per entry (``search``: title A,
text B; the ``kb_spanish``/``kb_english`` configurations fold accents with ``unaccent`` before
stemming) under a GIN index, queried with ``to_tsquery`` and ranked with ``ts_rank_cd``;
snippets from ``ts_headline`` (only for the page of hits shown); corrections from the
vocabulary words ``pg_trgm`` finds similar and those SQLite reads (then compared with
rapidfuzz, as on SQLite)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from soporte.kb.domain import search as rules
from soporte.kb.search.vocabulary import alike

CONFIGURATIONS = {"es": "kb_spanish", "en": "kb_english"}
"""The text search configuration of each language (migration ``kb/0004_search_index``)."""
HEADLINE = (
    f"StartSel={rules.MARK}, StopSel={rules.UNMARK}, MaxWords={rules.SNIPPET_WORDS},"
    ' MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
)
TRIGRAM_CANDIDATES = 10
"""How many of the vocabulary's most similar words (by trigrams) each misspelt word gets."""

_MATCHES = """
WITH q AS (SELECT to_tsquery(%(configuration)s::regconfig, %(query)s) AS q),
page AS (
    SELECT e.article_id AS id, ts_rank_cd(e.search, (SELECT q FROM q)) AS rank,
        count(*) OVER () AS total
    FROM kb_searchentry e JOIN kb_article a ON a.id = e.article_id
    WHERE e.search @@ to_tsquery(%(configuration)s::regconfig, %(query)s)
        AND a.language = %(language)s AND a.status = ANY(%(statuses)s)
    ORDER BY rank DESC, id LIMIT %(limit)s OFFSET %(offset)s
)
SELECT page.id, e.title, a.slug,
    ts_headline(%(configuration)s::regconfig, e.text, (SELECT q FROM q), %(headline)s), page.total
FROM page JOIN kb_searchentry e ON e.article_id = page.id JOIN kb_article a ON a.id = page.id
ORDER BY page.rank DESC, page.id"""


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
    params: dict[str, Any] = {
        "configuration": CONFIGURATIONS[language],
        "query": rules.tsquery(found, any_word=any_word),
        "language": language,
        "statuses": list(statuses),
        "headline": HEADLINE,
        "limit": limit,
        "offset": offset,
    }
    with connection.cursor() as cursor:
        cursor.execute(_MATCHES, params)
        rows = cursor.fetchall()
    if not rows:
        return [], 0
    hits = [(pk, title, slug, rules.headline(marked)) for pk, title, slug, marked, _ in rows]
    return hits, int(rows[0][4])


def candidates(language: str, words: Sequence[str]) -> list[tuple[str, str]]:
    """(word, spelling) of the vocabulary words ``words`` may be corrected to, most used first:
    for each word the ``TRIGRAM_CANDIDATES`` most similar by trigrams (the GIN trigram index
    finds them: a wrong first letter too), and those ``vocabulary.alike`` finds (a swap of two
    letters, "croreo" for "correo", leaves too few trigrams in common)."""
    sql = (
        "SELECT word, spelling, articles FROM kb_searchword"
        " WHERE language = %s AND word %% %s ORDER BY word <-> %s LIMIT %s"
    )
    found: dict[str, tuple[str, int]] = {}
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute(sql, [language, word, word, TRIGRAM_CANDIDATES])
            found.update({w: (s, n) for w, s, n in cursor.fetchall()})
    ranked = sorted(found.items(), key=lambda item: (-item[1][1], item[0]))
    return [(w, s) for w, (s, _) in ranked] + alike(language, words)
