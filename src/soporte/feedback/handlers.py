"""The feedback app's receivers: a resolution offers its survey, a reopen voids it, new tickets
join the similar-ticket index."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.feedback import services, similarity
from soporte.tickets.signals import ticket_reopened, ticket_resolved, tickets_opened


@receiver(ticket_resolved, dispatch_uid="soporte.feedback.offer_survey")
def _offer_survey(sender: Any, *, ticket: Any, actor: Any, at: datetime, **kwargs: Any) -> None:
    services.offer(ticket=ticket, actor=actor, at=at)


@receiver(ticket_reopened, dispatch_uid="soporte.feedback.void_survey")
def _void_survey(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    services.void_pending(ticket=ticket, at=at)


@receiver(tickets_opened, dispatch_uid="soporte.feedback.index_wording")
def _index_wording(
    sender: Any,
    *,
    numbers: Sequence[int],
    subjects: Sequence[str],
    bodies: Sequence[str],
    received: Sequence[datetime],
    **kwargs: Any,
) -> None:
    """New tickets join the similar-ticket index in the transaction that opens them."""
    similarity.index(numbers=numbers, subjects=subjects, bodies=bodies, received=received)
