"""The demo knowledge base: the categories and article pairs of ``kb_content/`` (Spanish
sources, English translations), written and published through the authoring services over the
weeks before ``now``; one source edited after its translation, so the editor shows a stale
translation and what changed."""

from __future__ import annotations

from datetime import datetime, timedelta

from soporte.accounts.models import Agent, Language
from soporte.demo import kb_articles
from soporte.kb import services
from soporte.kb.models import (
    Article,
    Category,
    PinChange,
    PinnedFaq,
    PinProposal,
    QuestionWeek,
)

STALE = 12
"""The pair whose Spanish source changes after its translation ("Why don't I see my sales
yet?")."""


def seed(*, author: Agent, translator: Agent, now: datetime) -> dict[int, Article]:
    """Write and publish every pair; returns the Spanish sources by their pair's number."""
    shelves = {
        key: Category.objects.create(
            name_es=str(c["name_es"]),
            name_en=str(c["name_en"]),
            slug_es=str(c["slug_es"]),
            slug_en=str(c["slug_en"]),
            position=int(c["position"]),
        )
        for key, c in kb_articles.categories().items()
    }
    sources: dict[int, Article] = {}
    pairs = kb_articles.pairs()
    for pair in pairs:
        at = now - timedelta(days=70) + timedelta(hours=pair.number * 6)
        es = services.create_article(
            author=author,
            category=shelves[pair.es.category],
            language=Language.SPANISH,
            title=pair.es.title,
            slug=pair.es.slug,
            body=pair.es.body,
            now=at,
        )
        services.publish(article=es, now=at)
        en = services.create_translation(
            source=es,
            language=Language.ENGLISH,
            translator=translator,
            title=pair.en.title,
            slug=pair.en.slug,
            body=pair.en.body,
            now=at + timedelta(hours=2),
        )
        services.publish(article=en, now=at + timedelta(hours=2))
        sources[pair.number] = es
    _edit_after_translation(sources[STALE], author, now - timedelta(days=2))
    return sources


def _edit_after_translation(source: Article, author: Agent, at: datetime) -> None:
    tip = (
        "\n\n> **Nuevo:** si tu máquina usa un lector Nayax, las ventas con tarjeta pueden "
        "tardar hasta 30 minutos más en aparecer."
    )
    services.update_article(
        article=source,
        editor=author,
        title=source.title,
        slug=source.slug,
        body=source.body + tip,
        category=source.category,
        now=at,
    )


def reset() -> None:
    """Delete the pinned FAQs' records, every article (translations before their sources) and
    category."""
    for model in (PinChange, PinProposal, QuestionWeek, PinnedFaq):
        model.objects.all().delete()
    Article.objects.filter(source__isnull=False).delete()
    Article.objects.all().delete()
    Category.objects.all().delete()
