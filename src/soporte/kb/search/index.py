"""Writing the search index: an article's entry (its plain text and stems) and the vocabulary
counts that follow it. ``kb.handlers`` calls ``index``/``unindex`` on every save and delete of
an article, in the saving transaction; ``rebuild`` rewrites everything (migration
``kb/0004_search_index``, the bench, and whoever suspects the index: a title or body changed
with ``QuerySet.update``, which sends no signal, is only found again after it)."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import F

from soporte.feedback.domain.wording import stems
from soporte.kb.domain import search as rules
from soporte.kb.markdown import render
from soporte.kb.models import Article, SearchEntry, SearchWord

_BLOCK = re.compile(r"</?(?:p|li|h[1-6]|br|hr|td|th|tr|pre|ul|ol|table|blockquote)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
BATCH = 500


def plain_text(body: str) -> str:
    """What a reader sees of the Markdown ``body``: its rendered words, without markup (a link's
    address, an image's file name and code fences' syntax are not text anyone searches)."""
    shown = html.unescape(_TAG.sub("", _BLOCK.sub(" ", render(body))))
    return rules.unmarkable(" ".join(shown.split()))


def entry(*, article_id: int, language: str, title: str, body: str) -> SearchEntry:
    """The index entry of an article (unsaved)."""
    text = plain_text(body)
    name = rules.SNOWBALL[language]
    return SearchEntry(
        article_id=article_id,
        language=language,
        title=title,
        text=text,
        title_stems=" ".join(stems(title, snowball=name)),
        text_stems=" ".join(stems(text, snowball=name)),
    )


def index(article: Article) -> None:
    """Write ``article``'s entry and count its words (in the caller's transaction); nothing
    when its language, title and text are those indexed already (a vote, a status change)."""
    new = entry(
        article_id=article.pk, language=article.language, title=article.title, body=article.body
    )
    old = SearchEntry.objects.filter(pk=article.pk).first()
    if old is not None and (old.language, old.title, old.text) == (
        new.language,
        new.title,
        new.text,
    ):
        return
    new.save()
    before = {} if old is None else _words(old)
    after = _words(new)
    if old is not None and old.language != new.language:
        _count(old.language, added={}, removed=before)
        before = {}
    _count(new.language, added=_minus(after, before), removed=_minus(before, after))


def unindex(article_id: int) -> None:
    """Drop the entry of the article ``article_id`` and its words' counts."""
    old = SearchEntry.objects.filter(pk=article_id).first()
    if old is not None:
        old.delete()
        _count(old.language, added={}, removed=_words(old))


def rebuild() -> int:
    """Rewrite the whole index from the articles (one transaction): how many are indexed."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
        rows = Article.objects.values_list("pk", "language", "title", "body").iterator()
        entries = [entry(article_id=p, language=lg, title=t, body=b) for p, lg, t, b in rows]
        SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
        counts: dict[str, Counter[str]] = {}
        spellings: dict[str, dict[str, str]] = {}
        for e in entries:
            found = _words(e)
            counts.setdefault(e.language, Counter()).update(found.keys())
            spellings.setdefault(e.language, {}).update(found)
        SearchWord.objects.bulk_create(
            (
                SearchWord(language=lg, word=w, spelling=spellings[lg][w], articles=n)
                for lg, counted in counts.items()
                for w, n in counted.items()
            ),
            batch_size=BATCH,
        )
    return len(entries)


def _words(e: SearchEntry) -> dict[str, str]:
    return rules.vocabulary_words(f"{e.title}\n{e.text}")


def _minus(a: Mapping[str, str], b: Mapping[str, str]) -> dict[str, str]:
    return {w: s for w, s in a.items() if w not in b}


def _count(language: str, *, added: Mapping[str, str], removed: Iterable[str]) -> None:
    """One more article holds each word ``added`` (word → spelling), one fewer each
    ``removed``; a word no article holds any more leaves the vocabulary. Safe when two
    articles are saved at once: the counts move in the database, a new word is inserted once."""
    words = SearchWord.objects.filter(language=language)
    if added:
        SearchWord.objects.bulk_create(
            [SearchWord(language=language, word=w, spelling=s) for w, s in added.items()],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
        words.filter(word__in=list(added)).update(articles=F("articles") + 1)
    gone = list(removed)
    if gone:
        words.filter(word__in=gone, articles__lte=1).delete()
        words.filter(word__in=gone).update(articles=F("articles") - 1)
