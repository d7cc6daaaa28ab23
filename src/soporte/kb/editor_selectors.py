"""Reads for the console's article editor: every article in every status, for agents who may
write (``kb.services.may_write``); anyone else reads nothing."""

from __future__ import annotations

from django.db.models import QuerySet

from soporte.accounts.models import Agent
from soporte.kb.models import Article, ArticleImage, ArticleRevision, Category
from soporte.kb.services import may_write


def articles(
    agent: Agent, *, status: str = "", language: str = "", category: int | None = None
) -> QuerySet[Article]:
    """The articles ``agent`` may edit, newest change first, narrowed by the list's filters."""
    found = Article.objects.select_related("category", "source", "author")
    if not may_write(agent):
        return found.none()
    if status:
        found = found.filter(status=status)
    if language:
        found = found.filter(language=language)
    if category is not None:
        found = found.filter(category_id=category)
    return found.order_by("-updated_at", "-pk")


def article(agent: Agent, pk: int) -> Article | None:
    return articles(agent).filter(pk=pk).first()


def translations(source: Article) -> list[Article]:
    """The translations of ``source``, with their own source loaded (for ``stale``)."""
    return list(source.translations.select_related("source").order_by("language"))


def revisions(article: Article) -> QuerySet[ArticleRevision]:
    return article.revisions.select_related("author").order_by("-number")


def images(article: Article) -> QuerySet[ArticleImage]:
    return article.images.order_by("-uploaded_at", "-pk")


def categories() -> QuerySet[Category]:
    return Category.objects.all()
