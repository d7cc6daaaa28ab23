"""The feedback app's receivers: a resolution offers its survey, a reopen voids it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.feedback import services
from soporte.tickets.signals import ticket_reopened, ticket_resolved


@receiver(ticket_resolved, dispatch_uid="soporte.feedback.offer_survey")
def _offer_survey(sender: Any, *, ticket: Any, actor: Any, at: datetime, **kwargs: Any) -> None:
    services.offer(ticket=ticket, actor=actor, at=at)


@receiver(ticket_reopened, dispatch_uid="soporte.feedback.void_survey")
def _void_survey(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    services.void_pending(ticket=ticket, at=at)
