"""The knowledge base's signal receivers.

- Every save and delete of an article reaches the search index in the same transaction,
  whatever code saved it (the authoring services, the admin, a fixture). A save that touched
  only other fields (a vote's counters) leaves the index as is.
- A public agent reply records the articles it links to (``uses.record_uses``), in the reply's
  transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from soporte.accounts.models import Agent
from soporte.kb.models import Article
from soporte.kb.search import index
from soporte.kb.uses import record_uses
from soporte.tickets.models import Message, Ticket
from soporte.tickets.signals import agent_replied

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


@receiver(agent_replied, dispatch_uid="kb.record_uses")
def _answered(
    sender: Any, *, ticket: Ticket, message: Message, agent: Agent, at: datetime, **kwargs: Any
) -> None:
    record_uses(ticket=ticket, body=message.body, agent=agent, now=at)
