"""The demo desk's pinned FAQs, made the way the rule makes them: over the six ISO weeks before
``now``, T1 agents answer tickets with articles; each week is counted and the rule applied at
its Monday 09:00 run. Ten questions asked three weeks running become proposals that the lead
accepts (a pinned top-10 per locale); the card reader question, asked in each of the last three
weeks, waits as a proposal to replace the pin seen least recently."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from soporte.accounts.models import Agent, Contact
from soporte.feedback.domain.review import digest_due
from soporte.feedback.domain.weeks import week_of
from soporte.feedback.review_selectors import zone
from soporte.kb import faq
from soporte.kb.models import Article, PinProposal, ProposalStatus
from soporte.kb.selectors import article_url, translation
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake

PINNED = {"es": [6, 12, 1, 7, 13, 16, 8, 2, 14, 25], "en": [1, 12, 6, 7, 16, 13, 19, 14, 3, 25]}
"""The article pairs whose questions the lead pinned, by locale (``kb_content`` numbers)."""
ASKED_AGAIN = [12, 6, 1]
"""Pinned questions still asked in the last three weeks (so they are seen most recently)."""
PROPOSED = 10
"""The card reader question: asked in each of the last three weeks, proposed for pinning."""


def seed(
    *,
    sources: dict[int, Article],
    contacts: list[Contact],
    agent: Agent,
    lead: Agent,
    now: datetime,
) -> None:
    place = zone()
    first = week_of(now, place).shifted(-6)
    by_language = {c.locale: c for c in reversed(contacts)}
    for offset in range(6):
        week = first.shifted(offset)
        monday = datetime.combine(week.monday, time(10), tzinfo=ZoneInfo(place))
        for language, contact in sorted(by_language.items()):
            asked = PINNED[language] if offset < 3 else [PROPOSED, *ASKED_AGAIN]
            for i, number in enumerate(asked):
                article = translation(sources[number], language) or sources[number]
                at = monday + timedelta(days=1 + i % 3, minutes=25 * i)
                _answer(article, contact, agent, at)
        run = digest_due(week, place)
        faq.count_week(week=week, now=run)
        faq.apply_rule(week=week, now=run)
        if offset == 2:
            for proposal in PinProposal.objects.filter(
                status=ProposalStatus.PENDING, article__isnull=False
            ):
                faq.accept(proposal=proposal, lead=lead, now=run + timedelta(hours=1))


def _answer(article: Article, contact: Contact, agent: Agent, at: datetime) -> None:
    """A ticket asking ``article``'s question, answered with its link and solved at T1."""
    ticket = tickets.open_ticket(
        requester=contact,
        channel="portal",
        severity="P3",
        subject=article.title,
        body=article.title,
        intake=Intake(),
        received_at=at,
        now=at,
    )
    body = f"{article.title}: {article_url(article)}"
    tickets.reply(ticket=ticket, author=agent, body=body, at=at + timedelta(minutes=30))
    tickets.change_status(
        ticket=ticket, status="solved", actor=agent, at=at + timedelta(minutes=45)
    )
