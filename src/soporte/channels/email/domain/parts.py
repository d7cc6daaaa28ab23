"""What a message carries beside its text: attachments and inline images, and a bounce's
details. Pure values."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Part:
    """An attachment, or an inline image referenced from the HTML by ``cid:``."""

    filename: str
    content_type: str
    data: bytes
    content_id: str = ""
    """Without angle brackets; empty when the part has none."""
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Bounce:
    """A delivery status notification: whose address failed, why, and for which message
    (each empty when the notification does not say)."""

    recipient: str
    reason: str
    original_message_id: str = ""
