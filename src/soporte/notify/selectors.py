"""Reads of an agent's in-console notifications (each agent reads only their own)."""

from __future__ import annotations

from soporte.accounts.models import Agent
from soporte.notify.models import Notification

UNREAD_SHOWN = 99
"""The badge counts unread notifications up to this many, then shows ``99+``."""


def unread_badge(agent: Agent) -> str:
    """The badge's figure ("" for none): counted along ``notification_inbox`` and stopped past
    ``UNREAD_SHOWN``, so a lead with a backlog of thousands costs no more than one with five."""
    unread = Notification.objects.filter(agent=agent, read_at__isnull=True)
    count = unread.order_by()[: UNREAD_SHOWN + 1].count()
    if count > UNREAD_SHOWN:
        return f"{UNREAD_SHOWN}+"
    return str(count) if count else ""


def latest(agent: Agent, *, limit: int) -> list[Notification]:
    """The agent's ``limit`` newest notifications, read or not, with their tickets."""
    return list(Notification.objects.filter(agent=agent).select_related("ticket")[:limit])
