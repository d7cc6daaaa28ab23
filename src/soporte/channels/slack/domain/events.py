"""The Events API envelope and what one ``message`` event means for the desk
(protocols.md §2.2-2.4).

:func:`parse` reads a verified request body: a ``url_verification`` (:class:`Challenge`), an
``event_callback`` (:class:`Callback`, keyed by ``event_id``), or another type Slack may send
(:class:`Other`, acknowledged and ignored). :func:`read_message` tells what the inner event is:
a customer's post (a new top-level message or a reply in a thread), an edit, a deletion, or
something the desk ignores, with the reason (bots, our own app, channel notices, other event
types).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MAX_EVENT_ID = 200


class BadEnvelope(ValueError):
    """A signed body the desk cannot read; the message names what is wrong."""


@dataclass(frozen=True, slots=True)
class Challenge:
    challenge: str


@dataclass(frozen=True, slots=True)
class Callback:
    event_id: str
    team_id: str
    """The workspace the event came through (ours; the customer's is on the message)."""
    event: dict[str, Any]
    """The inner event, as Slack sent it."""
    own_users: frozenset[str]
    """Our app's bot users (``authorizations[]`` with ``is_bot``): their messages are ours."""


@dataclass(frozen=True, slots=True)
class Other:
    type: str


def parse(raw: bytes) -> Challenge | Callback | Other:
    """Read a verified body; :class:`BadEnvelope` names what is missing or malformed."""
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadEnvelope("the body is not JSON") from None
    if not isinstance(document, dict):
        raise BadEnvelope("the body is not a JSON object")
    kind = document.get("type")
    if kind == "url_verification":
        challenge = document.get("challenge")
        if not isinstance(challenge, str) or not challenge:
            raise BadEnvelope("url_verification: challenge: required (text)")
        return Challenge(challenge)
    if kind != "event_callback":
        if not isinstance(kind, str) or not kind:
            raise BadEnvelope("type: required (url_verification or event_callback)")
        return Other(kind)
    event_id, team_id, event = (
        document.get("event_id"),
        document.get("team_id"),
        document.get("event"),
    )
    if not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_EVENT_ID:
        raise BadEnvelope(f"event_id: required (1 to {MAX_EVENT_ID} characters)")
    if not isinstance(team_id, str) or not team_id:
        raise BadEnvelope("team_id: required")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise BadEnvelope("event: required (an object with a type)")
    authorizations = document.get("authorizations")
    own = frozenset(
        a["user_id"]
        for a in (authorizations if isinstance(authorizations, list) else [])
        if isinstance(a, dict) and a.get("is_bot") and isinstance(a.get("user_id"), str)
    )
    return Callback(event_id, team_id, event, own)


class Kind(StrEnum):
    POST = "post"
    """A customer's message: a new top-level message, or a reply in a thread."""
    EDIT = "edit"
    DELETE = "delete"
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class File:
    id: str
    name: str
    mimetype: str
    size: int
    url: str
    """``url_private_download`` (fetched with the bot token); empty when Slack gave none."""


@dataclass(frozen=True, slots=True)
class SlackMessage:
    kind: Kind
    channel: str = ""
    user: str = ""
    text: str = ""
    """As Slack wrote it (``mrkdwn.plain`` makes it readable)."""
    ts: str = ""
    """The message's own ts (for an edit or a deletion: the changed message's)."""
    thread_ts: str | None = None
    """The thread's root when the message is a reply in a thread; ``None`` at the top level."""
    files: tuple[File, ...] = ()
    name: str = ""
    """The author's name when the event carries their profile (``user_profile``)."""
    reason: str = ""
    """Why the desk ignores it."""


POSTED = frozenset({"", "file_share", "thread_broadcast", "me_message"})
"""Subtypes that are someone writing in the channel."""


def read_message(callback: Callback) -> SlackMessage:
    """What ``callback``'s inner event is for the desk."""
    event = callback.event
    if event.get("type") != "message":
        return _ignored(f"{event.get('type')} events are not filed (message events are)")
    channel = _text(event.get("channel"))
    subtype = _text(event.get("subtype"))
    if subtype == "message_changed":
        return _edit(
            channel, _object(event.get("message")), _object(event.get("previous_message")), callback
        )
    if subtype == "message_deleted":
        previous = _object(event.get("previous_message"))
        ts = _text(event.get("deleted_ts")) or _text(previous.get("ts"))
        if _ours(previous, callback) or not ts:
            return _ignored("a deletion of a message of ours or of a bot's")
        return SlackMessage(
            Kind.DELETE,
            channel,
            _text(previous.get("user")),
            _text(previous.get("text")),
            ts,
            _thread(previous, ts),
        )
    if subtype not in POSTED:
        return _ignored(f"a channel notice ({subtype})")
    if _ours(event, callback):
        return _ignored("a bot's message, or our own")
    if event.get("hidden"):
        return _ignored("a hidden message")
    ts, user = _text(event.get("ts")), _text(event.get("user"))
    if not (channel and ts and user):
        return _ignored("a message without channel, ts or user")
    profile = _object(event.get("user_profile"))
    name = _text(profile.get("real_name")) or _text(profile.get("display_name"))
    return SlackMessage(
        Kind.POST,
        channel,
        user,
        _text(event.get("text")),
        ts,
        _thread(event, ts),
        _files(event.get("files")),
        name,
    )


def _edit(
    channel: str, message: dict[str, Any], previous: dict[str, Any], callback: Callback
) -> SlackMessage:
    ts, user, text = (
        _text(message.get("ts")),
        _text(message.get("user")),
        _text(message.get("text")),
    )
    if _ours(message, callback):
        return _ignored("an edit of a message of ours or of a bot's")
    if not (ts and user):
        return _ignored("an edit without ts or user")
    if text == _text(previous.get("text")):
        return _ignored("a change that left the text as it was (a thread or link preview)")
    return SlackMessage(Kind.EDIT, channel, user, text, ts, _thread(message, ts))


def _ours(message: dict[str, Any], callback: Callback) -> bool:
    return bool(
        message.get("bot_id")
        or message.get("subtype") == "bot_message"
        or message.get("user") in callback.own_users
    )


def _thread(message: dict[str, Any], ts: str) -> str | None:
    root = _text(message.get("thread_ts"))
    return root if root and root != ts else None


def _files(value: Any) -> tuple[File, ...]:
    files = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict) or not _text(item.get("id")):
            continue
        size = item.get("size")
        files.append(
            File(
                id=_text(item.get("id")),
                name=_text(item.get("name")) or _text(item.get("title")) or _text(item.get("id")),
                mimetype=_text(item.get("mimetype")) or "application/octet-stream",
                size=size if isinstance(size, int) and size >= 0 else 0,
                url=_text(item.get("url_private_download")),
            )
        )
    return tuple(files)


def _ignored(reason: str) -> SlackMessage:
    return SlackMessage(Kind.IGNORED, reason=reason)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
