"""The articles an agent answered a ticket with: every knowledge base address on the desk in a
public reply records one :class:`~soporte.kb.models.ArticleUse` per ticket and article, and the
timeline event "answered with article" (``EventKind.ANSWERED_WITH_ARTICLE``). The reply path
calls :func:`record_uses` through ``tickets.signals.agent_replied`` (``kb.handlers``); internal
notes send no such signal."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from soporte.accounts.models import Agent
from soporte.kb import selectors
from soporte.kb.domain.links import article_links
from soporte.kb.models import Article, ArticleUse
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Ticket


def record_uses(*, ticket: Ticket, body: str, agent: Agent, now: datetime) -> list[ArticleUse]:
    """The uses ``body`` (a public reply by ``agent`` at ``now``) adds to ``ticket``: each
    published article it links to that the ticket was not answered with yet (an old slug counts
    as its article)."""
    articles: dict[int, Article] = {}
    for language, slug in article_links(body, base=settings.PUBLIC_BASE_URL):
        found = selectors.published_article(language, slug) or selectors.moved_to(language, slug)
        if found is not None:
            articles.setdefault(found.pk, found)
    if not articles:
        return []
    added = []
    with transaction.atomic():
        known = set(
            ArticleUse.objects.filter(ticket=ticket, article__in=articles).values_list(
                "article_id", flat=True
            )
        )
        for article in articles.values():
            if article.pk in known:
                continue
            added.append(
                ArticleUse.objects.create(ticket=ticket, article=article, agent=agent, at=now)
            )
            timeline.record(
                ticket,
                EventKind.ANSWERED_WITH_ARTICLE,
                at=now,
                actor=agent,
                article=article.pk,
                title=article.title,
                language=article.language,
            )
    return added
