"""A WhatsApp message as the text of a ticket's message, in the reader's words (call inside
``translation.override`` of the customer's language): what they wrote, a line naming a file
(the file itself follows, ``media``), a location with a map link, shared contacts, the message
it answers, or a placeholder for a type the desk cannot show. Nothing is dropped."""

from __future__ import annotations

from django.utils.translation import gettext as _

from soporte.channels.whatsapp.domain.payload import Inbound, Location, Media
from soporte.channels.whatsapp.models import WhatsAppSent
from soporte.text import one_line
from soporte.tickets import sanitize
from soporte.tickets.models import Message
from soporte.tickets.selectors import MessageKey, keyed_message

EXCERPT = 80
MAP_LINK = "https://www.google.com/maps/search/?api=1&query={lat},{lon}"


def body(inbound: Inbound, scope: str) -> str:
    """The message's text (the caller stores it as a ticket message)."""
    lines = []
    if inbound.reply_to:
        lines.append(_answered(inbound.reply_to, scope))
    if inbound.media is not None:
        lines.append(_media(inbound.media))
        if inbound.media.caption:
            lines.append(inbound.media.caption)
    elif inbound.location is not None:
        lines += _location(inbound.location)
    elif inbound.contacts:
        for shared in inbound.contacts:
            phones = ", ".join(shared.phones)
            lines.append(
                _("Shared contact: %(name)s %(phones)s") % {"name": shared.name, "phones": phones}
            )
    elif inbound.kind == "unsupported":
        lines.append(
            _(
                "[A WhatsApp message the desk cannot show (%(type)s): ask the customer to "
                "send it another way.]"
            )
            % {"type": inbound.unsupported or "unknown"}
        )
    if inbound.text:
        lines.append(inbound.text)
    return "\n".join(line for line in lines if line).strip() or _("[An empty WhatsApp message]")


def _media(media: Media) -> str:
    labels = {
        "image": _("Image"),
        "video": _("Video"),
        "audio": _("Voice note") if media.voice else _("Audio"),
        "document": _("Document"),
        "sticker": _("Sticker"),
    }
    label = labels.get(media.kind, media.kind)
    return f"[{label}: {media.filename}]" if media.filename else f"[{label}]"


def _location(place: Location) -> list[str]:
    where = " — ".join(part for part in (place.name, place.address) if part)
    link = MAP_LINK.format(lat=f"{place.latitude:.6f}", lon=f"{place.longitude:.6f}")
    coordinates = f"{place.latitude:.6f}, {place.longitude:.6f}"
    return [_("Location: %(place)s") % {"place": where or coordinates}, coordinates, link]


def earlier_message(wamid: str, scope: str) -> Message | None:
    """The ticket message a wamid is: one the customer sent us, or one we sent them."""
    received = keyed_message(MessageKey(scope, wamid))
    if received is not None:
        return received
    sent = WhatsAppSent.objects.select_related("message__ticket").filter(wamid=wamid).first()
    return sent.message if sent is not None else None


def excerpt(message: Message) -> str:
    return one_line(sanitize.to_text(message.body), limit=EXCERPT)


def _answered(wamid: str, scope: str) -> str:
    earlier = earlier_message(wamid, scope)
    if earlier is None:
        return _("(In reply to an earlier message)")
    return _("(In reply to: “%(excerpt)s”)") % {"excerpt": excerpt(earlier)}


def reaction(name: str, emoji: str, target: Message | None) -> str:
    """The note a reaction leaves."""
    values = {"name": name, "emoji": emoji, "excerpt": excerpt(target) if target else ""}
    if not emoji:
        return _("%(name)s removed their reaction on WhatsApp.") % values
    if target is None:
        return _("%(name)s reacted %(emoji)s on WhatsApp.") % values
    return _("%(name)s reacted %(emoji)s to “%(excerpt)s” on WhatsApp.") % values
