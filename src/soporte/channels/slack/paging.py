"""Pages by Slack direct message: the paging notifier transport for engineers whose contact
method is a Slack user id. ``chat.postMessage`` with the user id as ``channel`` posts in the
app's direct message with that user (Slack opens it), through the outbox (transport ``slack``):
retried on Slack's and the network's failures, failed for good on Slack's refusals
(``channel_not_found``, ``invalid_auth``…), which the paging chain hears through
``outbox.delivery_failed``."""

from __future__ import annotations

from datetime import datetime

from soporte.channels.slack.domain.mrkdwn import escape
from soporte.channels.slack.outbound import enqueue_post
from soporte.jobs.models import OutboxMessage


def enqueue_page(
    *, key: str, user_id: str, text: str, due_at: datetime, max_attempts: int
) -> OutboxMessage:
    """Queue ``text`` (plain) as a direct message to Slack user ``user_id`` (``U…``/``W…``),
    urgent, idempotent on ``key``. Raises ``ValueError`` naming a wrong argument."""
    user_id = user_id.strip()
    if user_id[:1] not in ("U", "W") or not user_id.isalnum():
        raise ValueError(f"user_id: expected a Slack user id (U… or W…), got {user_id!r}")
    return enqueue_post(
        key=key,
        channel=user_id,
        text=escape(text),
        due_at=due_at,
        max_attempts=max_attempts,
        urgent=True,
    )
