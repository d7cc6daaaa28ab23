"""The knowledge base's receivers: every save and delete of an article reaches the search
index in the same transaction, whatever code saved it (the authoring services, the admin, a
fixture). A save that touched only other fields (a vote's counters) leaves the index as is."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from soporte.kb.models import Article
from soporte.kb.search import index

INDEXED_FIELDS = frozenset({"language", "title", "body"})


@receiver(post_save, sender=Article, dispatch_uid="soporte.kb.index_article")
def _index_article(
    sender: Any, *, instance: Article, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    if update_fields is None or INDEXED_FIELDS & update_fields:
        index.index(instance)


@receiver(pre_delete, sender=Article, dispatch_uid="soporte.kb.unindex_article")
def _unindex_article(sender: Any, *, instance: Article, **kwargs: Any) -> None:
    """Before the delete cascades to the entry, so the vocabulary loses its words too."""
    index.unindex(instance.pk)
