"""The tickets app's signal receivers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.jobs.outbox import delivery_failed
from soporte.tickets import replies


@receiver(delivery_failed, dispatch_uid="soporte.tickets.email_failed")
def _email_failed(sender: Any, *, message_id: int, now: datetime, **kwargs: Any) -> None:
    """A customer's email failed for good: it shows on the ticket."""
    replies.record_failure(outbox_id=message_id, now=now)
