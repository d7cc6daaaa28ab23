"""The live chat in Chromium: a customer chats from the demo host page (the widget, signed for
them), an agent answers from the console; each sees the other's messages without a reload, and
the chat's channel clock shows fulfilled."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import NewSession, console_reply, sign_in
from playwright.sync_api import expect

from soporte.sla.models import Clock
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`


def test_customer_and_agent_chat_live_and_the_chat_clock_is_met(
    world: Any, settings: Any, new_session: NewSession
) -> None:
    settings.SOPORTE_DEMO = True
    settings.SOPORTE_CHAT_SECRET = "e2e-chat-secret"
    contact = world.contacts["starter"]  # the demo page signs for the first contact

    customer = new_session()
    customer.goto("/chat/demo/?lang=en")
    launcher = customer.get_by_role("button", name="Chat with support")
    launcher.focus()
    customer.keyboard.press("Enter")
    panel = customer.get_by_role("dialog", name="TrackMyVend support")
    expect(panel).to_be_visible()
    expect(panel.locator("[data-hours]")).not_to_be_empty()
    box = panel.get_by_label("Your message")
    expect(box).to_be_focused()
    box.fill("Machine 14 stopped reporting sales")
    box.press("Enter")
    log = panel.get_by_role("log")
    expect(log).to_contain_text("Machine 14 stopped reporting sales")
    ticket = Ticket.objects.get()
    # The acknowledgement, live, in the contact's language (theirs is Spanish).
    expect(log).to_contain_text(f"#{ticket.pk}")
    assert (ticket.channel, ticket.requester) == ("chat", contact)
    agent = new_session()
    sign_in(agent, world.agents["t1"].email, lands_on="/console/queue/T1")
    agent.goto("/console/chat")
    expect(agent.locator(f'#chat-rows tr[data-ticket="{ticket.pk}"]')).to_contain_text(
        "in the chat"
    )
    agent.goto(f"/console/tickets/{ticket.pk}")
    conversation = agent.locator("#conversation")
    expect(conversation).to_contain_text("Machine 14 stopped reporting sales")

    box.fill("It is the one at the bus station")
    box.press("Enter")
    expect(conversation).to_contain_text("It is the one at the bus station")  # no reload

    console_reply(agent, ticket.pk, "Thanks! Restarting its modem now.")
    expect(log).to_contain_text("Thanks! Restarting its modem now.")  # no reload
    clock = Clock.objects.get(ticket=ticket, kind="channel_response")
    assert clock.fulfilled_at is not None
    panel_clock = agent.locator('#sla-panel [data-clock="channel_response"]')
    expect(panel_clock.locator(".badge")).to_have_text("Met")

    customer.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
