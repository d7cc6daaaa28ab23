"""The console's Chat view (open chats, whoever has waited longest first, with the chat's
channel clock) and the long-poll that brings a chat ticket's new messages to its page live."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from soporte.accounts.models import Agent
from soporte.channels.chat import relay
from soporte.channels.chat.selectors import OpenChat, open_chats
from soporte.console.access import agent_required, is_htmx
from soporte.console.presenters import CLOCK_STATUSES, countdown
from soporte.console.views import _chrome, _ticket_for
from soporte.sla.explain import format_duration
from soporte.tickets.selectors import visible_messages

POLL_SECONDS = 5


def _row(chat: OpenChat, now: datetime) -> dict[str, Any]:
    waited = now - chat.waiting_since if chat.waiting_since else None
    clock = chat.clock
    return {
        "chat": chat,
        "waited": format_duration(waited) if waited is not None else "",
        "clock_status": clock.status if clock else None,
        "clock_label": str(CLOCK_STATUSES[clock.status]) if clock else "",
        "countdown": countdown(clock) if clock else "",
    }


@require_GET
@agent_required
def chats(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    """Open chats; htmx refreshes the rows every ``POLL_SECONDS``."""
    now = timezone.now()
    context = {
        **_chrome(agent, active="chat"),
        "rows": [_row(chat, now) for chat in open_chats(request.user, now)],
        "poll_seconds": POLL_SECONDS,
    }
    template = "console/_chat_rows.html" if is_htmx(request) else "console/chat.html"
    return render(request, template, context)


@require_GET
@agent_required
def chat_wait(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """The keys of the ticket's messages after ``after`` that the agent may read, held until
    there is one (``relay.HOLD`` seconds at most): the page then fetches itself again."""
    ticket = _ticket_for(request, pk)
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    messages = visible_messages(request.user, ticket).filter(pk__gt=after)
    found = relay.wait_for(ticket.pk, lambda: list(messages.values_list("pk", flat=True)))
    return JsonResponse({"messages": found})
