"""The feedback app's receivers, each in the sender's transaction and idempotent:

- a resolution offers its survey and sets its post-mortem's due date (moved by a
  re-resolution); a reopen voids the unanswered survey;
- a survey saved as an item of a closed review week, with no disposition, reopens that week
  (``review.reopen_for``: every way an answer is recorded, the admin's too);
- a P0 opened or raised, or a page's founder/CTO step fired, asks for a post-mortem;
- new tickets join the similar-ticket index, and start the Monday digest's chain once there
  is someone to send it to (``digest.ensure_scheduled``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from soporte.escalation.signals import founder_cto_paged
from soporte.feedback import digest, postmortems, review, services, similarity
from soporte.feedback.domain import postmortem as rules
from soporte.feedback.models import Survey
from soporte.tickets.signals import (
    page_requested,
    severity_changed,
    ticket_reopened,
    ticket_resolved,
    tickets_opened,
)


@receiver(ticket_resolved, dispatch_uid="soporte.feedback.offer_survey")
def _offer_survey(sender: Any, *, ticket: Any, actor: Any, at: datetime, **kwargs: Any) -> None:
    services.offer(ticket=ticket, actor=actor, at=at)


@receiver(ticket_reopened, dispatch_uid="soporte.feedback.void_survey")
def _void_survey(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    services.void_pending(ticket=ticket, at=at)


@receiver(post_save, sender=Survey, dispatch_uid="soporte.feedback.review_reopen")
def _reopen_week(sender: Any, *, instance: Survey, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.answer and instance.answered_at is not None:
        review.reopen_for(instance)


@receiver(page_requested, dispatch_uid="soporte.feedback.postmortem_for_p0_page")
@receiver(severity_changed, dispatch_uid="soporte.feedback.postmortem_for_p0")
def _postmortem_for_p0(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    reason = rules.reason_for(severity=ticket.severity, founder_paged=False)
    if reason is not None:
        postmortems.request_postmortem(ticket=ticket, reason=reason, at=at)


@receiver(founder_cto_paged, dispatch_uid="soporte.feedback.postmortem_for_founder_page")
def _postmortem_for_founder_page(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    reason = rules.reason_for(severity=ticket.severity, founder_paged=True)
    assert reason is not None
    postmortems.request_postmortem(ticket=ticket, reason=reason, at=at)


@receiver(ticket_resolved, dispatch_uid="soporte.feedback.postmortem_due")
def _postmortem_due(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    postmortems.set_due(ticket=ticket, resolved_at=at)


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


@receiver(tickets_opened, dispatch_uid="soporte.feedback.digest_start")
def _start_digest(sender: Any, *, now: datetime, **kwargs: Any) -> None:
    digest.ensure_scheduled(now=now)
