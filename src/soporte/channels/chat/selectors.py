"""Reading chats: the widget's conversation and its new messages, whether the customer is still
there, what the widget says about support hours, and the agents' list of open chats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.channels.chat.domain import presence
from soporte.channels.chat.models import Conversation
from soporte.channels.chat.services import token_digest
from soporte.dates import long_when
from soporte.policy import default_policy
from soporte.sla.explain import target_words
from soporte.sla.selectors import ClockView, clock_views
from soporte.tickets.models import UNRESOLVED, AuthorKind, Channel, Message, MessageKind, Ticket
from soporte.tickets.selectors import visible_tickets

User = AbstractBaseUser | AnonymousUser


def by_token(token: str) -> Conversation | None:
    """The conversation a widget's token opens, or None."""
    if not token or len(token) > 200:
        return None
    return (
        Conversation.objects.select_related("contact__user", "contact__organisation", "ticket")
        .filter(token_digest=token_digest(token))
        .first()
    )


def messages_after(conversation: Conversation, after: int) -> list[Message]:
    """The chat's public messages (what the customer may read) after message ``after``."""
    if conversation.ticket_id is None:
        return []
    return list(
        Message.objects.filter(
            ticket_id=conversation.ticket_id, kind=MessageKind.PUBLIC, pk__gt=after
        )
        .select_related("author_agent", "author_contact")
        .prefetch_related("attachments")
        .order_by("pk")
    )


def is_live(ticket: Ticket, now: datetime) -> bool:
    """The customer is in the chat of ``ticket`` at ``now``: a reply reaches them in the widget
    (``tickets.replies`` asks, through the hook ``channels.apps`` registers)."""
    chat = Conversation.objects.filter(ticket_id=ticket.pk).values("ended_at", "last_seen_at")
    row = chat.first()
    return row is not None and presence.is_live(now=now, **row)


@dataclass(frozen=True, slots=True)
class SupportHours:
    open: bool
    text: str
    """What the widget says, in the customer's language and zone."""
    resumes_at: datetime | None


def support_hours(*, lang: str, zone: str, now: datetime) -> SupportHours:
    """Whether agents are there at ``now`` (the policy's business calendar) and, when not, when
    support resumes, in ``lang`` and ``zone``."""
    policy = default_policy()
    calendar = policy.calendar
    target = policy.channel(Channel.CHAT).target
    with override(lang):
        if calendar.is_open(now):
            words = target_words(target.text) if target else ""
            text = _("Agents are available. We usually answer within %(target)s.") % {
                "target": words
            }
            return SupportHours(True, text, None)
        resumes = calendar.next_open(now)
        when = long_when(resumes.astimezone(ZoneInfo(zone)))
        text = _(
            "Support is closed right now; it resumes %(when)s. Leave your message: it becomes a "
            "ticket and we answer when we are back."
        ) % {"when": when}
        return SupportHours(False, text, resumes)


@dataclass(frozen=True, slots=True)
class OpenChat:
    """A row of the console's Chat view."""

    ticket: Ticket
    conversation: Conversation
    live: bool
    waiting_since: datetime | None
    """The customer's oldest message no agent has answered yet."""
    clock: ClockView | None
    """The chat's channel clock (15 min, business hours)."""


def open_chats(user: User, now: datetime) -> list[OpenChat]:
    """The unresolved chat tickets ``user`` may see, whoever has waited longest first, then
    the rest, newest first."""
    tickets = list(
        visible_tickets(user)
        .filter(channel=Channel.CHAT, status__in=UNRESOLVED, chat__isnull=False)
        .select_related("chat", "requester", "organisation")
        .prefetch_related("clocks")
        .order_by("-opened_at")[:200]
    )
    waiting = _waiting_since([t.pk for t in tickets])
    rows = []
    for ticket in tickets:
        chat = ticket.chat
        views = [v for v in clock_views(ticket.clocks.all(), now) if v.kind == "channel_response"]
        live = presence.is_live(ended_at=chat.ended_at, last_seen_at=chat.last_seen_at, now=now)
        rows.append(OpenChat(ticket, chat, live, waiting.get(ticket.pk), next(iter(views), None)))
    rows.sort(key=lambda r: (r.waiting_since is None, r.waiting_since or now))
    return rows


def _waiting_since(numbers: list[int]) -> dict[int, datetime]:
    """Per ticket, the first customer message after the last public agent reply."""
    since: dict[int, datetime] = {}
    public = Message.objects.filter(ticket_id__in=numbers, kind=MessageKind.PUBLIC)
    for number, author, at in public.order_by("created_at", "pk").values_list(
        "ticket_id", "author_kind", "created_at"
    ):
        if author == AuthorKind.AGENT:
            since.pop(number, None)
        elif author == AuthorKind.CUSTOMER:
            since.setdefault(number, at)
    return since
