"""Slack's message text (``mrkdwn``) to and from plain text.

Inbound, Slack escapes ``&``, ``<`` and ``>`` and writes links, mentions and channel names in
angle brackets: ``<https://x|label>``, ``<@U123>``, ``<#C123|general>``, ``<!here>``. Outbound,
text must escape the same three characters (everything else is left to Slack's formatting).
"""

from __future__ import annotations

import re

_ANGLED = re.compile(r"<([^<>]*)>")


def _angled(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):  # a user: <@U123> or <@U123|ana>
        return f"@{label or target[1:]}"
    if target.startswith("#"):  # a channel: <#C123|general>
        return f"#{label or target[1:]}"
    if target.startswith("!"):  # <!here>, <!channel>, <!subteam^S1|@team>, <!date^…|text>
        special = target[1:].split("^", 1)[0]
        return label or f"@{special}"
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    if label and label != target:
        return f"{label} ({target})"
    return target


def plain(text: str) -> str:
    """What a person reads in Slack's ``text``: links as ``label (url)``, mentions as
    ``@name``, entities unescaped."""
    return (
        _ANGLED.sub(_angled, text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def escape(text: str) -> str:
    """``text`` safe to send: Slack reads only ``&``, ``<`` and ``>`` as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
