"""Everything that changes a chat: starting it (identity verification), the customer's messages
(the first opens the ticket, the rest reply on it, exactly once per client message id), their
presence, and ending it (the transcript goes to the customer by email)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts import services as accounts
from soporte.accounts.models import Contact, Organisation
from soporte.channels.chat.domain import identity, presence
from soporte.channels.chat.models import Conversation
from soporte.channels.senders import unidentified_place
from soporte.dates import long_when
from soporte.jobs import outbox
from soporte.policy import default_policy
from soporte.text import one_line
from soporte.tickets import sanitize
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Channel, Message, MessageKind
from soporte.tickets.selectors import MessageKey, keyed_message

LANGUAGES = ("es", "en")
SUBJECT_LENGTH = 80


class ChatError(ValueError):
    """A chat request the desk cannot take; the message says why (shown to the customer)."""


@dataclass(frozen=True, slots=True)
class Started:
    conversation: Conversation
    token: str
    """Given to the widget once; only its digest is stored."""


def secret() -> str:
    """The identity-verification secret: ``SOPORTE_CHAT_SECRET``, else one derived from the
    desk's secret key (so the demo page can sign; a host page needs the configured one)."""
    return settings.SOPORTE_CHAT_SECRET or salted_hmac("soporte.chat", "identity").hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    *,
    email: str,
    organisation_id: str = "",
    signature: str = "",
    name: str = "",
    lang: str = "es",
    time_zone: str = "",
    page_url: str = "",
    browser: str = "",
    now: datetime,
) -> Started:
    """A new conversation for the widget's user: the signed contact when the host page's
    signature verifies, else an unidentified sender with the email they typed."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ChatError(_("Enter a valid email address.")) from None
    lang = lang if lang in LANGUAGES else "es"
    name = one_line(name, limit=200)
    contact = _verified_contact(email, organisation_id.strip(), signature, name, lang, now)
    identified = contact is not None
    if contact is None:
        contact = unidentified_requester(email=email, name=name, lang=lang)
    zone = zone_or(time_zone, contact.time_zone)
    token = secrets.token_urlsafe(32)
    conversation = Conversation.objects.create(
        token_digest=token_digest(token),
        contact=contact,
        identified=identified,
        lang=lang,
        time_zone=zone,
        page_url=one_line(page_url, limit=500),
        browser=one_line(browser, limit=200),
        started_at=now,
        last_seen_at=now,
    )
    return Started(conversation, token)


def _verified_contact(
    email: str, organisation_id: str, signature: str, name: str, lang: str, now: datetime
) -> Contact | None:
    """The contact the host page vouches for: an existing contact of that organisation, or a
    new one made there; None when the signature does not verify or the email belongs to a
    contact of another organisation."""
    if not identity.verified(secret(), email, organisation_id, signature):
        return None
    try:
        organisation = Organisation.objects.filter(pk=uuid.UUID(organisation_id)).first()
    except ValueError:
        return None
    if organisation is None:
        return None
    known = Contact.objects.filter(user__username=email).select_related("user").first()
    if known is not None:
        return known if known.organisation_id == organisation.pk else None
    try:
        return accounts.create_contact(
            organisation=organisation, email=email, name=name or email, locale=lang
        )
    except IntegrityError:  # made meanwhile by the same user's other tab
        return Contact.objects.filter(user__username=email, organisation=organisation).first()


def unidentified_requester(*, email: str, name: str = "", lang: str = "es") -> Contact:
    """The contact an unidentified sender's ticket is filed under: theirs in the
    unidentified senders' place (``channels.senders.unidentified_place``: Starter, so T1 on the
    Starter grid), made on first contact. Never an existing customer's contact: an email typed
    in an unsigned widget proves nothing."""
    organisation = unidentified_place()
    username = f"unidentified:{email}"
    known = Contact.objects.filter(user__username=username).select_related("user").first()
    if known is not None:
        return known
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=username, email=email)
            return Contact.objects.create(
                user=user, organisation=organisation, name=name or email, locale=lang
            )
    except IntegrityError:  # made meanwhile by a concurrent chat
        return Contact.objects.select_related("user").get(user__username=username)


def zone_or(name: str, fallback: str) -> str:
    """``name`` if it is an IANA zone (the browser's), else ``fallback``."""
    try:
        return str(ZoneInfo(name)) if name else fallback
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def send(
    *,
    conversation: Conversation,
    client_id: str,
    body: str,
    uploads: Sequence[UploadedFile] = (),
    now: datetime,
) -> Message:
    """The customer's message: the first opens the chat's ticket, later ones reply on it.
    ``client_id`` is the widget's id for the message: a retry returns the message already
    written."""
    client_id = client_id.strip()
    if not client_id or len(client_id) > 100:
        raise ChatError(_("Each message needs a client id of 1 to 100 characters."))
    key = MessageKey(conversation.scope, client_id)
    known = keyed_message(key)
    if known is not None:
        return known
    body = body.strip()
    if not body and not uploads:
        raise ChatError(_("Write a message or attach a screenshot."))
    if len(body) > 20_000:
        raise ChatError(_("A chat message takes at most 20,000 characters."))
    with transaction.atomic():
        chat = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if chat.ended_at is not None:
            raise ChatError(_("This chat has ended; start a new one."))
        contact = conversation.contact
        if chat.ticket_id is None:
            chat.ticket = tickets.open_ticket(
                requester=contact,
                channel=Channel.CHAT,
                severity=default_policy().channel(Channel.CHAT).severity or "P3",
                subject=_subject(body, chat.lang),
                body=body,
                intake=Intake(
                    organisation_id=str(contact.organisation_id) if chat.identified else "",
                    url=chat.page_url,
                    browser_os=chat.browser,
                ),
                uploads=uploads,
                now=now,
                key=key,
            )
            message = keyed_message(key)
            assert message is not None
        else:
            assert chat.ticket is not None
            message = tickets.reply(
                ticket=chat.ticket, author=contact, body=body, uploads=uploads, at=now, key=key
            )
        chat.last_seen_at = now
        chat.save(update_fields=["ticket", "last_seen_at"])
    conversation.ticket_id, conversation.last_seen_at = chat.ticket_id, now
    return message


def _subject(body: str, lang: str) -> str:
    """The ticket's subject: the first words of the first message (``SUBJECT_LENGTH``
    characters at most, cut between words)."""
    text = one_line(body)
    if len(text) > SUBJECT_LENGTH:
        cut = text[: SUBJECT_LENGTH + 1].rsplit(" ", 1)[0] or text[:SUBJECT_LENGTH]
        return cut[:SUBJECT_LENGTH].rstrip(" ,.;:") + "…"
    if text:
        return text
    with override(lang):
        return _("Screenshot sent in the chat")


def seen(*, conversation: Conversation, now: datetime) -> None:
    """The widget was heard from at ``now`` (written at most every ``presence.SEEN_EVERY``)."""
    if presence.needs_seen(conversation.last_seen_at, now):
        Conversation.objects.filter(pk=conversation.pk).update(last_seen_at=now)
        conversation.last_seen_at = now


def end(*, conversation: Conversation, now: datetime) -> None:
    """The customer ends the chat: later agent replies go by email, and the transcript of the
    conversation is emailed to them now (once; nothing for a chat without messages)."""
    with transaction.atomic():
        chat = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if chat.ended_at is not None:
            return
        chat.ended_at = now
        chat.save(update_fields=["ended_at"])
        if chat.ticket_id is not None:
            _send_transcript(chat, now)
    conversation.ended_at = chat.ended_at


def _send_transcript(chat: Conversation, now: datetime) -> None:
    contact = chat.contact
    ticket = chat.ticket
    assert ticket is not None
    zone = ZoneInfo(chat.time_zone)
    messages = ticket.messages.filter(kind=MessageKind.PUBLIC).select_related(
        "author_agent", "author_contact"
    )
    with override(chat.lang):
        values = {"number": ticket.pk, "subject": ticket.subject, "name": contact.name}
        subject = _("[#%(number)s] Your chat with TrackMyVend support: %(subject)s") % values
        lines = [_("Hello %(name)s,") % values, ""]
        lines += [_("Here is the transcript of your chat (ticket #%(number)s).") % values, ""]
        for message in messages:
            author = (
                message.author_agent.name
                if message.author_agent
                else message.author_contact.name
                if message.author_contact
                else _("TrackMyVend support")
            )
            when = long_when(message.created_at.astimezone(zone))
            lines += [f"{when} — {author}:", sanitize.to_text(message.body), ""]
        lines += [_("If you need anything else, open the chat again or write to us."), ""]
        lines += [_("— TrackMyVend support")]
    outbox.enqueue_email(
        key=f"chat-transcript:{chat.pk}",
        to=[contact.email],
        subject=subject,
        body="\n".join(lines),
        due_at=now,
    )
