"""The knowledge base's records, one module per part: articles and their translations
(``articles``), what customers and agents did with them (``uses``), the pinned FAQs (``faq``),
the search index (``search``)."""

from soporte.kb.models.articles import (
    Article,
    ArticleImage,
    ArticleRevision,
    Category,
    SlugRedirect,
    Status,
)
from soporte.kb.models.faq import PinnedFaq
from soporte.kb.models.search import SearchEntry, SearchWord
from soporte.kb.models.uses import ArticleUse, Deflection

__all__ = [
    "Article",
    "ArticleImage",
    "ArticleRevision",
    "ArticleUse",
    "Category",
    "Deflection",
    "PinnedFaq",
    "SearchEntry",
    "SearchWord",
    "SlugRedirect",
    "Status",
]
