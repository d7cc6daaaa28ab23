"""Reads of the knowledge base. The public reads see published articles only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from soporte.accounts.models import Language
from soporte.kb.models import Article, Category, PinnedFaq, SlugRedirect, Status, Vote
from soporte.public import public_url


def published(language: str) -> QuerySet[Article]:
    """Every published article in ``language``, with its category."""
    return Article.objects.filter(language=language, status=Status.PUBLISHED).select_related(
        "category"
    )


def published_article(language: str, slug: str) -> Article | None:
    """The published article at ``/kb/<language>/<slug>``, or ``None``."""
    return published(language).filter(slug=slug).first()


def moved_to(language: str, slug: str) -> Article | None:
    """The published article that once had ``slug`` in ``language`` (its old address)."""
    found = SlugRedirect.objects.filter(language=language, slug=slug).select_related("article")
    old = found.first()
    if old is None or old.article.status != Status.PUBLISHED:
        return None
    return old.article


def translation(article: Article, language: str) -> Article | None:
    """The published version of ``article`` in ``language`` (its source or a translation of
    its source), or ``None``. Reads the source's translations (one per language) through
    ``translations.all()``, so a caller that prefetched them asks nothing more."""
    if article.language == language:
        return article
    root = article.source or article
    if root.language == language:
        return root if root.status == Status.PUBLISHED else None
    found = (t for t in root.translations.all() if t.language == language)
    return next((t for t in found if t.status == Status.PUBLISHED), None)


def pinned(language: str) -> list[Article]:
    """The pinned FAQs in ``language``, in their order, published ones only."""
    pins = PinnedFaq.objects.filter(
        language=language, article__status=Status.PUBLISHED
    ).select_related("article", "article__category")
    return [pin.article for pin in pins]


def article_url(article: Article) -> str:
    """The article's public page as a full address on the desk (for emails and the widget)."""
    path = reverse("kb:article", kwargs={"language": article.language, "slug": article.slug})
    return public_url(path)


def gone(language: str, slug: str) -> bool:
    """Whether ``/kb/<language>/<slug>`` was an article that is now archived (by its slug or an
    old one): the page answers 410, so readers and search engines learn it is withdrawn."""
    archived = Article.objects.filter(language=language, status=Status.ARCHIVED)
    return (
        archived.filter(slug=slug).exists()
        or archived.filter(old_slugs__language=language, old_slugs__slug=slug).exists()
    )


def category(language: str, slug: str) -> Category | None:
    """The category whose slug in ``language`` is ``slug``, or ``None``."""
    field = "slug_en" if language == Language.ENGLISH else "slug_es"
    return Category.objects.filter(**{field: slug}).first()


def shelves(language: str) -> list[tuple[Category, list[Article]]]:
    """The categories that hold published articles in ``language``, in order, each with its
    articles by title."""
    found: dict[int, tuple[Category, list[Article]]] = {}
    for item in published(language).order_by("category__position", "category_id", "title"):
        found.setdefault(item.category_id, (item.category, []))[1].append(item)
    return list(found.values())


def vote_of(article: Article, *, reader: str) -> Vote | None:
    """The reader's answer about ``article`` (``reader``: their cookie's key), or ``None``."""
    if not reader:
        return None
    return Vote.objects.filter(article=article, reader=reader).first()
