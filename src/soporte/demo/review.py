"""The demo's weekly support reviews: given the demo's answered surveys (sent by the CSAT
services as the demo world resolves tickets), the week before last is disposed of and closed,
last week is disposed of but for one item (work left for whoever opens the demo), and the
current week stays open as it is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from soporte.accounts.models import Agent, Role
from soporte.feedback import review
from soporte.feedback.domain.weeks import week_of
from soporte.feedback.models import ReviewWeek, Survey
from soporte.feedback.review_selectors import zone

ARTICLE = "https://trackmyvend.com/Manuales.html"
TRACKER = "https://github.com/trackmyvend/trackmyvend/issues"

DISPOSITIONS = [
    {"kind": "kb_article", "link": f"{ARTICLE}#ventas"},
    {"kind": "coaching", "note": "Pide el ID de la organización en la primera respuesta."},
    {"kind": "product_fix", "link": f"{TRACKER}/412"},
    {"kind": "no_action", "reason": "El cliente confundió dos máquinas; ya quedó aclarado."},
]


def review_weeks(*, surveys: Iterable[Survey], now: datetime) -> list[ReviewWeek]:
    """Dispose of the items among ``surveys`` answered the week before last (and close it) and
    last week (all but the newest item); return the weeks closed."""
    lead = Agent.objects.filter(role=Role.LEAD).order_by("pk").first()
    if lead is None:
        return []
    current = week_of(now, zone())
    before_last, last = current.shifted(-2), current.shifted(-1)
    items = sorted(
        (s for s in surveys if review.item_week(s) in (before_last, last)),
        key=lambda s: (s.answered_at, s.pk),
    )
    last_items = [s for s in items if review.item_week(s) == last]
    keep_open = last_items[-1:] if last_items else []
    for n, item in enumerate(s for s in items if s not in keep_open):
        review.dispose(agent=lead, survey=item, at=now, **DISPOSITIONS[n % len(DISPOSITIONS)])
    return [review.close_week(agent=lead, week=before_last, at=now)]
