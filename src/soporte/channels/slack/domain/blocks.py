"""The CSAT survey as Block Kit in a ticket's Slack thread: the resolution notice (a ``section``),
the question (a ``context`` line) and three buttons (an ``actions`` block) whose ``action_id``
names the answer (``csat_up``, ``csat_neutral``, ``csat_down``) and whose ``value`` is the
survey's signed token. Once answered, the message is updated: the chosen button is styled
``primary`` and the context line thanks the customer (with the survey page's link).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ACTION_PREFIX = "csat_"
BLOCK_ID = "csat"
MAX_SECTION = 3000
MAX_BUTTON_TEXT = 75


def action_id(answer: str) -> str:
    return f"{ACTION_PREFIX}{answer}"


def answer_of(action: str) -> str | None:
    """The answer a survey button's ``action_id`` names (``None``: not a survey button)."""
    return action.removeprefix(ACTION_PREFIX) if action.startswith(ACTION_PREFIX) else None


def survey_blocks(
    *,
    text: str,
    line: str,
    buttons: Sequence[tuple[str, str]],
    token: str,
    chosen: str | None = None,
) -> list[dict[str, Any]]:
    """The notice ``text`` (mrkdwn), the context ``line`` (mrkdwn) and the answer ``buttons``
    ((answer, label), best first) carrying ``token`` (none: no ``actions`` block, the survey
    takes no answer); ``chosen``: the answer given."""
    elements = []
    for answer, label in buttons:
        button: dict[str, Any] = {
            "type": "button",
            "action_id": action_id(answer),
            "text": {"type": "plain_text", "text": label[:MAX_BUTTON_TEXT], "emoji": True},
            "value": token,
        }
        if answer == chosen:
            button["style"] = "primary"
        elements.append(button)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION]}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": line}]},
    ]
    if elements:
        blocks.append({"type": "actions", "block_id": BLOCK_ID, "elements": elements})
    return blocks
