"""Reads for answering with an article in the console: the knowledge base searched in both
languages, each result linked in the customer's language, and the articles a ticket was
answered with."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from soporte.accounts.models import Language
from soporte.kb import selectors
from soporte.kb.models import Article, ArticleUse
from soporte.kb.search import Hit, search
from soporte.tickets.models import Ticket

RESULTS = 8


@dataclass(frozen=True, slots=True)
class AnswerLink:
    """A search result (as found, in its language) and the article the customer gets: its
    translation in their language when there is one, else the article itself."""

    hit: Hit
    linked: Article
    url: str


def answer_links(query: str, *, language: str) -> list[AnswerLink]:
    """The published articles matching ``query`` in either language (the customer's
    ``language`` first), each linked in ``language`` where translated, one result per linked
    article, at most :data:`RESULTS`."""
    others = [code for code in Language.values if code != language]
    hits = [hit for code in [language, *others] for hit in search(query, language=code)]
    found = (
        Article.objects.select_related("source")
        .prefetch_related("translations", "source__translations")
        .in_bulk([hit.article_id for hit in hits])
    )  # selectors.translation then reads no more
    links: dict[int, AnswerLink] = {}
    for hit in hits:
        article = found.get(hit.article_id)
        if article is None:
            continue
        linked = selectors.translation(article, language) or article
        if linked.pk not in links:
            links[linked.pk] = AnswerLink(hit, linked, selectors.article_url(linked))
    return list(links.values())[:RESULTS]


def used_on(ticket: Ticket) -> QuerySet[ArticleUse]:
    """The articles ``ticket`` was answered with (the caller may see the ticket), first first."""
    return (
        ArticleUse.objects.filter(ticket=ticket)
        .select_related("article", "agent")
        .order_by("at", "pk")
    )
