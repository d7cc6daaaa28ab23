"""What the desk posts in Slack, always through the outbox (transport ``slack``):
``chat.postMessage`` with ``channel``, ``text`` and, in a ticket's thread, ``thread_ts``.

- A public message on a Slack ticket (an agent's reply, the solved notice) goes to the
  ticket's thread instead of by email (``tickets.replies.CARRIERS``); an agent's reply
  starts with their name in bold (``*Lucía Garza*: …``), so it shows whoever answered
  although the bot posts it.
- The solved notice in a channel linked to the ticket's organisation carries the CSAT
  survey as Block Kit (``domain.blocks``): the question and three buttons holding the survey's
  signed token; a press (``surveys``) updates that message (``chat.update``, transport
  ``slack.update``) to show the chosen face.
- A new ticket from a linked channel gets one short acknowledgement in its thread: its number,
  when to expect an answer and, for a plan without Slack Connect, which channels the plan
  includes (``tickets.acknowledgement.next_steps``, in the contact's language).
- Every post carries its outbox key in ``metadata`` (``soporte_message``), so that a re-send
  after a crash is recognisable in Slack.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.channels import csat
from soporte.channels.slack import webapi
from soporte.channels.slack.domain.blocks import survey_blocks
from soporte.channels.slack.domain.mrkdwn import escape
from soporte.channels.slack.models import SlackThread
from soporte.feedback import links
from soporte.jobs.models import OutboxMessage
from soporte.jobs.outbox import enqueue, transport
from soporte.policy import default_policy
from soporte.tickets import sanitize
from soporte.tickets.acknowledgement import next_steps
from soporte.tickets.models import Message, Ticket

TRANSPORT = "slack"
UPDATE_TRANSPORT = "slack.update"
METADATA_EVENT = "soporte_message"
ACK_KEY = "slack:ack:"
"""The outbox key of a new ticket's acknowledgement, before the ticket's number."""
REPLY_KEY = "message:"
"""The outbox key of a message posted to its ticket's thread, before the message's key."""


def enqueue_post(
    *,
    key: str,
    channel: str,
    text: str,
    due_at: datetime,
    thread_ts: str | None = None,
    blocks: list[dict[str, Any]] | None = None,
    max_attempts: int | None = None,
    urgent: bool = False,
) -> OutboxMessage:
    """Queue one ``chat.postMessage`` of ``text`` (already Slack-escaped) to ``channel`` (a
    channel id, or a user id for a direct message), in thread ``thread_ts`` if given, laid out
    as ``blocks`` if given (``text`` is then the notification's fallback); see
    ``outbox.enqueue``. Raises ``ValueError`` naming an empty field."""
    for name, value in (("channel", channel), ("text", text)):
        if not value.strip():
            raise ValueError(f"{name}: must not be empty")
    payload: dict[str, Any] = {"channel": channel, "text": text}
    if thread_ts:
        payload["thread_ts"] = thread_ts
    if blocks:
        payload["blocks"] = blocks
    return enqueue(
        transport=TRANSPORT,
        key=key,
        payload=payload,
        due_at=due_at,
        max_attempts=max_attempts,
        urgent=urgent,
    )


@transport(TRANSPORT)
def send_slack(message: OutboxMessage) -> None:
    """Post the message's payload; ``webapi.call`` sorts Slack's errors into retried or not."""
    payload = message.payload
    webapi.call(
        "chat.postMessage",
        **payload,
        unfurl_links=False,
        metadata={
            "event_type": METADATA_EVENT,
            "event_payload": {"key": message.idempotency_key},
        },
    )


def post_reply(ticket: Ticket, message: Message, now: datetime) -> OutboxMessage | None:
    """Queue public ``message`` to ``ticket``'s Slack thread (``None`` for a ticket without
    one: it then goes by email)."""
    thread = SlackThread.objects.select_related("channel").filter(ticket=ticket).first()
    if thread is None:
        return None
    text = notice_text(message)
    agent = message.author_agent
    if agent is not None:
        text = f"*{escape(agent.name)}*: {text}"
    survey = csat.resolution_survey(ticket, message)
    blocks = None
    if survey is not None and thread.channel.organisation_id == ticket.organisation_id:
        with override(survey.contact.locale):
            blocks = survey_blocks(
                text=text,
                line=escape(csat.question(ticket)),
                buttons=csat.buttons(),
                token=links.token(survey),
            )
    return enqueue_post(
        key=f"{REPLY_KEY}{message.pk}",
        channel=thread.channel.channel_id,
        thread_ts=thread.thread_ts,
        text=text,
        blocks=blocks,
        due_at=now,
    )


def notice_text(message: Message) -> str:
    """``message``'s body as Slack text (escaped)."""
    return escape(sanitize.to_text(message.body).strip())


def enqueue_update(
    *, key: str, channel: str, ts: str, text: str, blocks: list[dict[str, Any]], due_at: datetime
) -> OutboxMessage:
    """Queue one ``chat.update`` of our message ``ts`` in ``channel`` (idempotent on ``key``)."""
    payload = {"channel": channel, "ts": ts, "text": text, "blocks": blocks}
    return enqueue(transport=UPDATE_TRANSPORT, key=key, payload=payload, due_at=due_at)


@transport(UPDATE_TRANSPORT)
def update_slack(message: OutboxMessage) -> None:
    """Update one of our messages as the payload says (``chat.update``)."""
    webapi.call("chat.update", **message.payload)


def post_acknowledgement(ticket: Ticket, thread: SlackThread, *, now: datetime) -> OutboxMessage:
    """Queue new ``ticket``'s acknowledgement to its thread (once per ticket, whatever
    retries)."""
    requester = ticket.requester
    with override(requester.locale):
        lines = [_("Hello %(name)s,") % {"name": requester.name}]
        lines += next_steps(
            ticket,
            list(ticket.clocks.all()),
            default_policy(),
            zone=ZoneInfo(requester.time_zone),
            now=ticket.opened_at,
        )
    return enqueue_post(
        key=f"{ACK_KEY}{ticket.pk}",
        channel=thread.channel.channel_id,
        thread_ts=thread.thread_ts,
        text=escape("\n".join(lines)),
        due_at=now,
    )
