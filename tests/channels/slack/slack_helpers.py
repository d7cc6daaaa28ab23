"""Helpers of the Slack tests: Slack's side (signed Events API requests, event bodies) and a
worker on an explicit clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.test import Client

from soporte.channels.slack.domain.signing import sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM, BOT = "T111", "U_BOT"
CHANNEL = "C333"
TUESDAY = datetime(2026, 1, 6, 16, 2, tzinfo=UTC)
"""Tuesday 6 January 2026, 10:02 in Mexico City: a business day."""


def ts(at: datetime, seq: int = 0) -> str:
    return f"{int(at.timestamp())}.{seq:06d}"


def message(
    text: str = "Our checkout is down",
    *,
    at: datetime = TUESDAY,
    seq: int = 200,
    user: str = "U444",
    channel: str = CHANNEL,
    thread_ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An inner ``message`` event, as protocols.md §2.3 shows it."""
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "user": user,
        "team": "T_CUSTOMER",
        "text": text,
        "ts": ts(at, seq),
        "channel_type": "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {**event, **extra}


def envelope(
    event: dict[str, Any], *, event_id: str = "Ev0123ABC", at: datetime = TUESDAY
) -> bytes:
    return json.dumps(
        {
            "token": "XXYYZZ",
            "team_id": TEAM,
            "api_app_id": "A222",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(at.timestamp()),
            "is_ext_shared_channel": True,
            "authorizations": [{"team_id": TEAM, "user_id": BOT, "is_bot": True}],
            "event": event,
        },
        separators=(",", ":"),
    ).encode()


def deliver(
    body: bytes,
    *,
    at: datetime = TUESDAY,
    signed_at: datetime | None = None,
    secret: str = SECRET,
    signature: str | None = None,
    retry: int = 0,
) -> Any:
    """POST ``body`` to ``/hooks/slack`` as Slack would at ``at`` (the desk's clock then),
    signed at ``signed_at`` (default: ``at``)."""
    stamp = str(int((signed_at or at).timestamp()))
    headers = {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(secret=secret, raw_body=body, timestamp=stamp)
        if signature is None
        else signature,
    }
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    with time_machine.travel(at, tick=False):
        return Client(enforce_csrf_checks=True).post(
            "/hooks/slack", data=body, content_type="application/json", headers=headers
        )


class Worker:
    """Runs due jobs with ``soporte.jobs.services.run_due`` at explicit instants."""

    def __init__(self, now: datetime = TUESDAY) -> None:
        self.now = now

    def run(self, **later: float) -> int:
        """Run what is due ``later`` (a timedelta's arguments) than the last run, until
        nothing more is due then."""
        from soporte.jobs import services

        self.now += timedelta(**later) if later else timedelta(seconds=1)
        ran = 0
        while True:
            done = services.run_due(worker="test-worker", now=self.now)
            if not done:
                return ran
            ran += done


def link(organisation: Any, channel: str = CHANNEL) -> Any:
    """Link Slack channel ``channel`` to ``organisation``, as an administrator does."""
    from soporte.channels.slack.models import SlackChannel

    return SlackChannel.objects.create(
        team_id=TEAM, channel_id=channel, organisation=organisation, created_at=TUESDAY
    )
