"""What the console's pinned-FAQ page reads, for leads, the founder, the CTO and admins (who
see every queue); anyone else reads nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from soporte.accounts.models import Agent
from soporte.kb.models import (
    Article,
    AskedQuestion,
    PinChange,
    PinnedFaq,
    PinProposal,
    ProposalStatus,
)
from soporte.kb.selectors import published, translation
from soporte.policy import default_policy
from soporte.tickets.models import Ticket

SAMPLES = 3
"""How many of its tickets a proposal shows."""
CHANGES = 30
"""How many of the latest changes the page lists."""


@dataclass(frozen=True, slots=True)
class Proposal:
    proposal: PinProposal
    article: Article | None
    """The proposal's article in its language, if published (else the lead chooses one)."""
    samples: list[Ticket]


@dataclass(frozen=True, slots=True)
class Board:
    """One locale's pins in order, its pending proposals and its latest changes."""

    language: str
    pins: list[PinnedFaq] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    """The published articles a lead may pin instead."""
    changes: list[PinChange] = field(default_factory=list)
    capacity: int = 0
    """How many FAQs the locale pins at most (policy ``kb.pinned_faqs``)."""

    @property
    def unpinned(self) -> list[Article]:
        """The published articles a lead may pin by hand."""
        pinned = {p.article_id for p in self.pins}
        return [a for a in self.articles if a.pk not in pinned]

    @property
    def places(self) -> range:
        """The places a new pin may take: 1 (the top) to one past the last pin."""
        return range(1, len(self.pins) + 2)


def may_manage(agent: Agent | None) -> bool:
    """Leads, the founder, the CTO and admins: who sees every queue."""
    return agent is not None and agent.sees_every_queue


def board(agent: Agent, language: str) -> Board:
    """The pinned-FAQ board of ``language`` as ``agent`` may see it."""
    if not may_manage(agent):
        return Board(language)
    pins = PinnedFaq.objects.filter(language=language).select_related("article")
    pending = PinProposal.objects.filter(
        language=language, status=ProposalStatus.PENDING
    ).select_related("article", "replaces__article")
    changes = PinChange.objects.filter(language=language).select_related(
        "article", "replaced", "by"
    )
    return Board(
        language,
        list(pins),
        [_proposal(p) for p in pending],
        list(published(language).order_by("title")),
        list(changes[:CHANGES]),
        default_policy().kb.pinned_faqs,
    )


def _proposal(proposal: PinProposal) -> Proposal:
    asked = AskedQuestion.objects.filter(
        language=proposal.language, question=proposal.question, week__in=proposal.weeks
    ).order_by("-ticket_id")
    samples = [a.ticket for a in asked.select_related("ticket")[:SAMPLES]]
    article = translation(proposal.article, proposal.language) if proposal.article else None
    return Proposal(proposal, article, samples)
