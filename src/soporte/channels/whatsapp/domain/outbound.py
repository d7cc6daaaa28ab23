"""The messages we send through the Cloud API (``../shared/reference/protocols.md`` §3.6-3.7):
``POST /{phone-number-id}/messages`` bodies, built and checked here.

A text takes at most ``MAX_TEXT`` characters: a longer reply goes as several messages, cut
between paragraphs or words. A template's parameters are plain text; WhatsApp refuses line
breaks, tabs and runs of spaces in them, so they are folded to one line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

PRODUCT = "whatsapp"
MAX_TEXT = 4096
MAX_PARAMETER = 1024
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
LANGUAGES = {"es": "es_MX", "en": "en_US"}
"""The template language code for a contact's language (Meta's codes)."""
_FOLD = re.compile(r"\s+")


def text_messages(to: str, body: str, *, reply_to: str | None = None) -> list[dict[str, Any]]:
    """``body`` as one or more text messages to ``to`` (the first one answering ``reply_to``)."""
    messages = []
    for i, chunk in enumerate(chunks(body, MAX_TEXT)):
        message: dict[str, Any] = {
            **head(to),
            "type": "text",
            "text": {"preview_url": False, "body": chunk},
        }
        if reply_to and i == 0:
            message["context"] = {"message_id": reply_to}
        messages.append(message)
    return messages


def chunks(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut at the last paragraph break, else
    line break, else space, in each piece (mid-word only when a word is longer than ``size``)."""
    text = text.strip()
    pieces = []
    while len(text) > size:
        window = text[: size + 1]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        cut = cut if cut > 0 else size
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


def template_message(to: str, *, name: str, language: str, params: Sequence[str]) -> dict[str, Any]:
    """The approved template ``name`` in ``language`` (a contact's ``es``/``en``, or Meta's
    code), its body's ``{{1}}``, ``{{2}}``… filled with ``params``."""
    if not name.strip():
        raise ValueError("template: a name is required")
    template: dict[str, Any] = {
        "name": name,
        "language": {"code": LANGUAGES.get(language, language)},
    }
    if params:
        values = [{"type": "text", "text": parameter(p)} for p in params]
        template["components"] = [{"type": "body", "parameters": values}]
    return {**head(to), "type": "template", "template": template}


def parameter(value: str) -> str:
    """A template parameter: one line, at most ``MAX_PARAMETER`` characters."""
    folded = _FOLD.sub(" ", value).strip() or "-"
    return folded if len(folded) <= MAX_PARAMETER else folded[: MAX_PARAMETER - 1] + "…"


def media_message(
    to: str, *, kind: str, media_id: str, caption: str = "", filename: str = ""
) -> dict[str, Any]:
    """A media message carrying the uploaded ``media_id``; documents keep their file name."""
    if kind not in MEDIA_TYPES:
        raise ValueError(f"type: expected one of {', '.join(MEDIA_TYPES)}, got {kind!r}")
    media: dict[str, Any] = {"id": media_id}
    if caption and kind in ("image", "video", "document"):
        media["caption"] = caption[:MAX_PARAMETER]
    if filename and kind == "document":
        media["filename"] = filename
    return {**head(to), "type": kind, kind: media}


def media_kind(mime_type: str) -> str:
    """How a file of ``mime_type`` is sent: as an image, video, audio or else a document."""
    major, _, minor = mime_type.partition("/")
    if major == "image" and minor in ("jpeg", "png"):
        return "image"
    if major == "video" and minor in ("mp4", "3gpp"):
        return "video"
    if major == "audio":
        return "audio"
    return "document"


def head(to: str) -> dict[str, Any]:
    """The fields every message to ``to`` starts with."""
    if not to.strip():
        raise ValueError("to: a recipient is required")
    return {"messaging_product": PRODUCT, "recipient_type": "individual", "to": to}
