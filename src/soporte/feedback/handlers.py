"""The feedback app's signal receivers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.dispatch import receiver

from soporte.feedback import similarity
from soporte.tickets.signals import tickets_opened


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
