"""A webhook delivery's content (``../shared/reference/protocols.md`` §3.3-3.5), read
tolerantly: every ``entry[]``, ``changes[]``, ``messages[]`` and ``statuses[]``; a message of a
type we do not know is kept as ``unsupported`` with its type named, never dropped.

Only a body that is not a JSON object of the documented shape raises :class:`PayloadError`
(naming what is wrong); a single message without an id or a sender is skipped and named in
``Delivery.skipped``, since nothing could key or answer it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MEDIA_KINDS = ("image", "document", "audio", "video", "sticker")
TEXT_KINDS = ("text", "interactive", "button")
KNOWN_KINDS = (*TEXT_KINDS, *MEDIA_KINDS, "location", "contacts", "reaction")


class PayloadError(ValueError):
    """The body is not a WhatsApp Business webhook; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Media:
    kind: str
    """``image``, ``document``, ``audio``, ``video`` or ``sticker``."""
    id: str
    """The Graph API media id (fetched through ``GET /{media-id}``)."""
    mime_type: str = ""
    filename: str = ""
    caption: str = ""
    voice: bool = False
    """An audio message recorded in WhatsApp (a voice note)."""


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float
    name: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class SharedContact:
    name: str
    phones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reaction:
    message_id: str
    """The wamid of the message reacted to."""
    emoji: str
    """Empty: the reaction was removed."""


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message a customer sent."""

    wamid: str
    sender: str
    """``from``: the sender's WhatsApp id (a phone number's digits, most often)."""
    business: str
    """``metadata.phone_number_id``: our number it was sent to."""
    kind: str
    """The message's ``type`` (``unsupported`` for a type we do not read)."""
    sent_at: datetime | None
    profile_name: str = ""
    text: str = ""
    """What the customer wrote: a text's body, a button's or list row's title."""
    reply_id: str = ""
    """For ``interactive``: the id of the reply button or list row chosen (ours, as sent)."""
    media: Media | None = None
    location: Location | None = None
    contacts: tuple[SharedContact, ...] = ()
    reaction: Reaction | None = None
    reply_to: str | None = None
    """``context.id``: the wamid of the earlier message this one replies to."""
    unsupported: str = ""
    """For ``unsupported``: the type as sent, or WhatsApp's own error title."""


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """What became of a message we sent."""

    wamid: str
    status: str
    at: datetime | None
    recipient: str = ""
    errors: tuple[str, ...] = ()


@dataclass(slots=True)
class Delivery:
    messages: list[Inbound] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def parse(raw: bytes) -> Delivery:
    """Every message and status of the webhook body ``raw``."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise PayloadError("the body is not JSON") from None
    if not isinstance(body, dict):
        raise PayloadError("the body is not a JSON object")
    entries = body.get("entry")
    if not isinstance(entries, list):
        raise PayloadError("entry: expected a list")
    delivery = Delivery()
    for e, entry in enumerate(entries):
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise PayloadError(f"entry[{e}].changes: expected a list")
        for c, change in enumerate(changes):
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                raise PayloadError(f"entry[{e}].changes[{c}].value: expected an object")
            _read_value(value, f"entry[{e}].changes[{c}].value", delivery)
    return delivery


def _read_value(value: dict[str, Any], path: str, delivery: Delivery) -> None:
    business = _text(_object(value.get("metadata")).get("phone_number_id"))
    names = {
        _text(c.get("wa_id")): _text(_object(c.get("profile")).get("name"))
        for c in _list(value.get("contacts"))
        if isinstance(c, dict)
    }
    for m, message in enumerate(_list(value.get("messages"))):
        where = f"{path}.messages[{m}]"
        inbound = _message(_object(message), business, names) if isinstance(message, dict) else None
        if inbound is None:
            delivery.skipped.append(f"{where}: no id or no sender")
        else:
            delivery.messages.append(inbound)
    for s, status in enumerate(_list(value.get("statuses"))):
        update = _status(status) if isinstance(status, dict) else None
        if update is None:
            delivery.skipped.append(f"{path}.statuses[{s}]: no id or no status")
        else:
            delivery.statuses.append(update)


def _message(m: dict[str, Any], business: str, names: dict[str, str]) -> Inbound | None:
    wamid, sender = _text(m.get("id")), _text(m.get("from"))
    if not wamid or not sender:
        return None
    kind = _text(m.get("type")) or "unsupported"
    part = _object(m.get(kind))
    fields: dict[str, Any] = {
        "wamid": wamid,
        "sender": sender,
        "business": business,
        "kind": kind,
        "sent_at": instant(m.get("timestamp")),
        "profile_name": names.get(sender, ""),
        "reply_to": _text(_object(m.get("context")).get("id")) or None,
    }
    if kind == "text":
        fields["text"] = _text(part.get("body"))
    elif kind == "interactive":
        chosen = _object(part.get("button_reply")) or _object(part.get("list_reply"))
        fields["text"] = _text(chosen.get("title"))
        fields["reply_id"] = _text(chosen.get("id"))
    elif kind == "button":
        fields["text"] = _text(part.get("text")) or _text(part.get("payload"))
    elif kind in MEDIA_KINDS and _text(part.get("id")):
        fields["media"] = Media(
            kind=kind,
            id=_text(part.get("id")),
            mime_type=_text(part.get("mime_type")),
            filename=_text(part.get("filename")),
            caption=_text(part.get("caption")),
            voice=part.get("voice") is True,
        )
    elif kind == "location" and _number(part.get("latitude")) is not None:
        fields["location"] = Location(
            latitude=_number(part.get("latitude")) or 0.0,
            longitude=_number(part.get("longitude")) or 0.0,
            name=_text(part.get("name")),
            address=_text(part.get("address")),
        )
    elif kind == "contacts":
        fields["contacts"] = tuple(
            _shared(c) for c in _list(m.get("contacts")) if isinstance(c, dict)
        )
    elif kind == "reaction" and _text(part.get("message_id")):
        fields["reaction"] = Reaction(_text(part.get("message_id")), _text(part.get("emoji")))
    else:
        errors = [_object(x) for x in _list(m.get("errors"))]
        title = next((_text(x.get("title")) for x in errors if _text(x.get("title"))), "")
        fields["kind"] = "unsupported"
        fields["unsupported"] = title or kind
    return Inbound(**fields)


def _shared(contact: dict[str, Any]) -> SharedContact:
    name = _object(contact.get("name"))
    phones = tuple(
        _text(p.get("phone")) or _text(p.get("wa_id"))
        for p in _list(contact.get("phones"))
        if isinstance(p, dict) and (_text(p.get("phone")) or _text(p.get("wa_id")))
    )
    return SharedContact(_text(name.get("formatted_name")) or _text(name.get("first_name")), phones)


def _status(s: dict[str, Any]) -> StatusUpdate | None:
    wamid, status = _text(s.get("id")), _text(s.get("status"))
    if not wamid or not status:
        return None
    errors = tuple(
        " ".join(
            part
            for part in (
                str(e.get("code", "")),
                _text(e.get("title")),
                _text(_object(e.get("error_data")).get("details")),
            )
            if part
        )
        for e in _list(s.get("errors"))
        if isinstance(e, dict)
    )
    return StatusUpdate(
        wamid=wamid,
        status=status,
        at=instant(s.get("timestamp")),
        recipient=_text(s.get("recipient_id")),
        errors=errors,
    )


def instant(value: object) -> datetime | None:
    """A Unix-seconds timestamp (WhatsApp sends it as a string) as an aware UTC instant;
    ``None`` when it is not one."""
    try:
        seconds = int(str(value))
        return datetime.fromtimestamp(seconds, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
