"""Which T1 question each ticket asked, per ISO week (America/Mexico_City, the review's zone).

A ticket counts in the week it was solved in (its latest solve: a reopened ticket counts when it
is solved again) when it is still at T1, the policy's first tier: tickets only move up a tier,
so a ticket at T1 was never escalated (docs/readings.md 64). It asked one question, in its
requester's language:

- ``article:<id>``: the article it was answered with (its first, ``ArticleUse``), counted as its
  source article, so the Spanish and English versions are one question;
- else the question of the earliest-counted ticket that reads like it: the similar-ticket index
  (``feedback.similarity.candidates``, ranked by ``feedback.domain.ranking``) finds the earlier
  tickets that read alike, and the best one scoring at least :data:`SAME_QUESTION` that already
  asked a question (in an earlier week, or earlier in this one) passes its key on;
- else ``ticket:<number>``: the ticket starts a question of its own.

Tickets are taken in the order they were opened, so a recount of the same week gives the same
keys. A ticket missing from the index (none is, by construction) starts its own question.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from soporte.feedback import similarity
from soporte.feedback.domain import ranking, wording
from soporte.feedback.domain.weeks import Week, span
from soporte.feedback.models import TicketWording
from soporte.feedback.review_selectors import zone
from soporte.kb.models import ArticleUse, AskedQuestion
from soporte.policy import default_policy
from soporte.tickets.models import Status, Ticket

SAME_QUESTION = 0.78
"""The least similarity score (0 to 1, ``feedback.domain.ranking``) at which a ticket asked the
same question as an earlier one. On the labelled set (``tests/feedback/data``), with the earlier
ticket first in the index's order: 72 % of the paraphrases reach it with their earlier ticket,
11 % with the best-reading other ticket (0.70 would pass 71 % of those): a split question is
counted late, a merged one pinned wrongly, so the rule errs towards splitting."""
POOL = 20
"""How many of the index's candidates the ranking reads for each ticket."""


@dataclass(frozen=True, slots=True)
class Asked:
    """Ticket ``ticket`` asked ``question`` in ``language``; ``article``: the source article it
    was answered with (``None`` for a question of similar tickets)."""

    ticket: int
    language: str
    question: str
    article: int | None


def solved_at_t1(week: Week) -> QuerySet[Ticket]:
    """The tickets solved in ``week`` (their latest solve) that never left T1."""
    start, end = span(week, zone())
    return Ticket.objects.filter(
        status__in=(Status.SOLVED, Status.CLOSED),
        solved_at__gte=start,
        solved_at__lt=end,
        tier=default_policy().escalation.first_tier,
    )


def asked_in(week: Week) -> list[Asked]:
    """The question each ticket solved at T1 in ``week`` asked, in the order they were opened."""
    policy = default_policy().kb
    tickets = solved_at_t1(week).order_by("opened_at", "pk")
    rows = list(tickets.values_list("pk", "requester__locale"))
    articles = _articles(tickets)
    entries = TicketWording.objects.in_bulk([pk for pk, _ in rows if pk not in articles])
    keys: dict[int, str] = {}
    found = []
    for pk, locale in rows:
        language = locale if locale in policy.locales else policy.default_locale
        article = articles.get(pk)
        if article is not None:
            question = f"article:{article}"
        else:
            question = _similar_question(entries.get(pk), keys) or f"ticket:{pk}"
        keys[pk] = question
        found.append(Asked(pk, language, question, article))
    return found


def _articles(tickets: QuerySet[Ticket]) -> dict[int, int]:
    """Per ticket, the source of the first article it was answered with."""
    uses = ArticleUse.objects.filter(ticket__in=tickets.values("pk")).order_by("-at", "-pk")
    return {
        ticket: source or article
        for ticket, article, source in uses.values_list(
            "ticket_id", "article_id", "article__source"
        )
    }


def _similar_question(entry: TicketWording | None, keys: dict[int, str]) -> str | None:
    """The question of the most similar earlier ticket that asked one, if alike enough."""
    if entry is None:
        return None
    candidates = similarity.candidates(
        similarity.stems_of(entry),
        before=(entry.opened_at, entry.pk),
        since=entry.opened_at - wording.WINDOW,
        limit=POOL,
    )
    alike = [
        s for s in ranking.rank(entry.words, candidates, limit=POOL) if s.score >= SAME_QUESTION
    ]
    if not alike:
        return None
    numbers = [s.number for s in alike]
    earlier = dict(
        AskedQuestion.objects.filter(ticket_id__in=numbers).values_list("ticket_id", "question")
    )
    for suggestion in alike:
        question = keys.get(suggestion.number) or earlier.get(suggestion.number)
        if question is not None:
            return question
    return None
