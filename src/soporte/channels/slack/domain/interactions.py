"""Slack's interactivity requests (the app's Interactivity Request URL): a form body
``payload=<json>``, signed like the Events API (``domain.signing``).

:func:`parse` reads a verified body: a ``block_actions`` payload becomes one
:class:`ButtonPress` per button action (where it was pressed: the channel and the message's
``ts``; who pressed; the ``action_id``, ``value`` and ``action_ts``); any other payload type is
:class:`Other` (acknowledged, ignored). A body that is not such a form raises
:class:`BadPayload` naming what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs


class BadPayload(ValueError):
    """A signed body the desk cannot read; the message names what is wrong."""


@dataclass(frozen=True, slots=True)
class ButtonPress:
    user: str
    channel: str
    message_ts: str
    thread_ts: str
    action_id: str
    value: str
    action_ts: str


@dataclass(frozen=True, slots=True)
class Other:
    type: str


def parse(raw: bytes) -> list[ButtonPress] | Other:
    try:
        form = parse_qs(raw.decode(), strict_parsing=True)
        document = json.loads(form["payload"][0])
    except (UnicodeDecodeError, ValueError, KeyError, RecursionError):
        raise BadPayload("payload: expected a form field holding a JSON object") from None
    if not isinstance(document, dict):
        raise BadPayload("payload: expected a JSON object")
    kind = _text(document.get("type"))
    if kind != "block_actions":
        return Other(kind)
    user = _text(_object(document.get("user")).get("id"))
    container = _object(document.get("container"))
    message = _object(document.get("message"))
    channel = _text(_object(document.get("channel")).get("id")) or _text(
        container.get("channel_id")
    )
    message_ts = _text(container.get("message_ts")) or _text(message.get("ts"))
    if not user or not channel or not message_ts:
        raise BadPayload("block_actions: user.id, channel.id and container.message_ts required")
    thread_ts = _text(container.get("thread_ts")) or _text(message.get("thread_ts"))
    actions = document.get("actions")
    if not isinstance(actions, list):
        raise BadPayload("block_actions: actions: expected a list")
    return [
        ButtonPress(
            user=user,
            channel=channel,
            message_ts=message_ts,
            thread_ts=thread_ts,
            action_id=_text(action.get("action_id")),
            value=_text(action.get("value")),
            action_ts=_text(action.get("action_ts")),
        )
        for action in actions
        if isinstance(action, dict) and action.get("type") == "button"
    ]


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
