"""The CSAT survey as WhatsApp reply buttons (``../shared/reference/protocols.md`` §3; Meta's
interactive messages): one ``interactive`` message of ``type: button`` with the three answers.

Each button's id is ``csat:<answer>:<token>``, the survey's signed token (``feedback.links``),
so the press that comes back (``interactive.button_reply.id``) names the survey and the answer
by itself; a tampered id finds no survey. WhatsApp limits a message to three reply buttons,
a title to 20 characters, an id to 256 and the body to 1024.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from soporte.channels.whatsapp.domain.outbound import head

PREFIX = "csat"
MAX_BUTTONS = 3
MAX_TITLE = 20
MAX_ID = 256
MAX_BODY = 1024


@dataclass(frozen=True, slots=True)
class Press:
    """A press on a survey button: the answer and the token it names (either may be forged)."""

    answer: str
    token: str


def button_id(answer: str, token: str) -> str:
    found = f"{PREFIX}:{answer}:{token}"
    if len(found) > MAX_ID:
        raise ValueError(f"button id: longer than {MAX_ID} characters")
    return found


def read_press(reply_id: str) -> Press | None:
    """The survey press ``reply_id`` is (``None``: not a survey button)."""
    prefix, sep, rest = reply_id.partition(":")
    if prefix != PREFIX or not sep:
        return None
    answer, _, token = rest.partition(":")
    return Press(answer, token)


def buttons_message(to: str, *, body: str, buttons: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """An interactive message to ``to`` asking ``body`` with reply ``buttons`` (id, title)."""
    if not 0 < len(buttons) <= MAX_BUTTONS:
        raise ValueError(f"buttons: expected 1 to {MAX_BUTTONS}, got {len(buttons)}")
    if len({id_ for id_, _title in buttons}) != len(buttons):
        raise ValueError("buttons: ids must differ")
    for _id, title in buttons:
        if not 0 < len(title) <= MAX_TITLE:
            raise ValueError(f"button title {title!r}: expected 1 to {MAX_TITLE} characters")
    if not 0 < len(body.strip()) <= MAX_BODY:
        raise ValueError(f"body: expected 1 to {MAX_BODY} characters")
    action = {"buttons": [{"type": "reply", "reply": {"id": i, "title": t}} for i, t in buttons]}
    interactive = {"type": "button", "body": {"text": body.strip()}, "action": action}
    return {**head(to), "type": "interactive", "interactive": interactive}
