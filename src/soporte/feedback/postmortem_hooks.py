"""Where post-mortems are asked for and fall due: a P0 opened or raised (``page_requested``,
``severity_changed``), a page's founder/CTO step fired (``founder_cto_paged``), a ticket
resolved (``ticket_resolved``: the due date, moved by a re-resolution). Each receiver runs in
the sender's transaction and is idempotent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.escalation.signals import founder_cto_paged
from soporte.feedback import postmortems
from soporte.feedback.domain import postmortem as rules
from soporte.tickets.signals import page_requested, severity_changed, ticket_resolved


@receiver(page_requested, dispatch_uid="soporte.feedback.postmortem_for_p0_page")
@receiver(severity_changed, dispatch_uid="soporte.feedback.postmortem_for_p0")
def _p0(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    reason = rules.reason_for(severity=ticket.severity, founder_paged=False)
    if reason is not None:
        postmortems.request_postmortem(ticket=ticket, reason=reason, at=at)


@receiver(founder_cto_paged, dispatch_uid="soporte.feedback.postmortem_for_founder_page")
def _founder_paged(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    reason = rules.reason_for(severity=ticket.severity, founder_paged=True)
    assert reason is not None
    postmortems.request_postmortem(ticket=ticket, reason=reason, at=at)


@receiver(ticket_resolved, dispatch_uid="soporte.feedback.postmortem_due")
def _resolved(sender: Any, *, ticket: Any, at: datetime, **kwargs: Any) -> None:
    postmortems.set_due(ticket=ticket, resolved_at=at)
