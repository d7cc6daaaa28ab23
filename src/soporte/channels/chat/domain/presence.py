"""Whether the customer is still in the chat: a conversation is live until they end it or
nothing has been heard from their widget for ``LEFT_AFTER`` (the widget long-polls while its
page is open, so a closed tab goes quiet within one poll). Once they have left, agent replies go
by email, as on any ticket. Pure: no Django."""

from __future__ import annotations

from datetime import datetime, timedelta

LEFT_AFTER = timedelta(minutes=5)
"""Silence after which a customer has left the chat."""

SEEN_EVERY = timedelta(seconds=30)
"""How stale ``last_seen_at`` may get before a poll writes it again (one write per widget
every half minute, not one per poll)."""


def is_live(*, ended_at: datetime | None, last_seen_at: datetime, now: datetime) -> bool:
    return ended_at is None and now - last_seen_at < LEFT_AFTER


def needs_seen(last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at >= SEEN_EVERY
