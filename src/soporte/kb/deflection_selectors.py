"""How many suggestion sessions deflected a ticket in a period: what the reports read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from soporte.kb.models import Deflection


@dataclass(frozen=True, slots=True)
class DeflectionCounts:
    """Sessions that were shown suggestions, that opened one, and that opened one and filed no
    ticket (deflected)."""

    suggested: int
    opened: int
    deflected: int


def deflections(since: datetime, until: datetime, *, where: str = "") -> DeflectionCounts:
    """The sessions whose first suggestion came in ``[since, until)``, everywhere or only
    ``where`` (``portal``, ``widget``)."""
    rows = Deflection.objects.filter(suggested_at__gte=since, suggested_at__lt=until)
    if where:
        rows = rows.filter(where=where)
    opened = Q(opened__isnull=False)
    counts = rows.aggregate(  # named apart from the fields (an aggregate cannot shadow one)
        n_suggested=Count("pk"),
        n_opened=Count("pk", filter=opened),
        n_deflected=Count("pk", filter=opened & Q(ticket__isnull=True)),
    )
    return DeflectionCounts(counts["n_suggested"], counts["n_opened"], counts["n_deflected"])
