"""The knowledge base's records, one module per part: articles and their translations
(``articles``), what customers and agents did with them (``uses``), the pinned FAQs (``faq``),
what readers answered to "Was this helpful?" (``votes``), the search index (``search``)."""

from soporte.kb.models.articles import (
    Article,
    ArticleImage,
    ArticleRevision,
    Category,
    SlugRedirect,
    Status,
)
from soporte.kb.models.faq import (
    AskedQuestion,
    ChangeKind,
    PinChange,
    PinnedFaq,
    PinProposal,
    ProposalStatus,
    QuestionWeek,
)
from soporte.kb.models.search import SearchEntry, SearchWord
from soporte.kb.models.uses import ArticleUse, Deflection
from soporte.kb.models.votes import Vote

__all__ = [
    "Article",
    "ArticleImage",
    "ArticleRevision",
    "ArticleUse",
    "AskedQuestion",
    "Category",
    "ChangeKind",
    "Deflection",
    "PinChange",
    "PinProposal",
    "PinnedFaq",
    "ProposalStatus",
    "QuestionWeek",
    "SearchEntry",
    "SearchWord",
    "SlugRedirect",
    "Status",
    "Vote",
]
