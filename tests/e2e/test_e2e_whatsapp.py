"""WhatsApp end to end: Meta (the test, as the fake provider) posts a signed message to the
running desk, an agent answers it in the console in Chromium, and the reply reaches the local
fake Graph API in the Cloud API's documented format."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.utils import timezone
from e2e_helpers import NewSession, console_reply, sign_in
from playwright.sync_api import expect

from channels.whatsapp.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph
from notify.notify_helpers import Worker
from soporte.feedback.models import Survey
from soporte.tickets import services as tickets
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`

APP_SECRET = "e2e-app-secret"


@pytest.fixture
def graph(settings: Any) -> Iterator[FakeGraph]:
    fake = FakeGraph()
    settings.SOPORTE_WHATSAPP_APP_SECRET = APP_SECRET
    settings.SOPORTE_WHATSAPP_VERIFY_TOKEN = "e2e-verify"
    settings.SOPORTE_WHATSAPP_TOKEN = TOKEN
    settings.SOPORTE_WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.SOPORTE_WHATSAPP_GRAPH_URL = fake.graph_url
    yield fake
    fake.close()


def test_a_whatsapp_message_is_answered_from_the_console(
    world: Any, live_server: Any, graph: FakeGraph, new_session: NewSession
) -> None:
    luis = world.contacts["pro"]
    luis.phone = "+52 81 2698 2507"
    luis.save(update_fields=["phone"])
    inbound = {
        "from": "5218126982507",
        "id": "wamid.E2E1",
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": "La máquina 9 no vende"},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "528100000000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Luis"}, "wa_id": "5218126982507"}],
        "messages": [inbound],
    }
    change = {"field": "messages", "value": value}
    document = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}
    raw = json.dumps(document).encode()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()

    answer = httpx.post(
        f"{live_server.url}/hooks/whatsapp",
        content=raw,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )

    assert answer.status_code == 200, answer.text
    ticket = Ticket.objects.get(pk=answer.json()["messages"][0]["ticket"])
    assert (ticket.channel, ticket.requester) == ("whatsapp", luis)
    agent = new_session()
    sign_in(agent, world.agents["t1"].email, lands_on="/console/queue/T1")
    agent.goto(f"/console/tickets/{ticket.pk}")
    expect(agent.locator("#conversation")).to_contain_text("La máquina 9 no vende")
    expect(agent.locator("#whatsapp-window")).to_contain_text("WhatsApp window open")

    console_reply(agent, ticket.pk, "Ya la reiniciamos, ¿puedes probar?")
    Worker().run()

    assert graph.problems == []
    replies = [m for m in graph.sent() if m["text"]["body"] == "Ya la reiniciamos, ¿puedes probar?"]
    assert replies == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "5218126982507",
            "type": "text",
            "text": {"preview_url": False, "body": "Ya la reiniciamos, ¿puedes probar?"},
        }
    ]
    agent.reload()
    expect(agent.locator('#conversation [data-whatsapp="accepted"]').first).to_be_visible()


def meta_sends(base: str, message: dict[str, Any]) -> httpx.Response:
    """Meta's side: one webhook message, signed with the app secret."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "528100000000", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Luis"}, "wa_id": message["from"]}],
        "messages": [message],
    }
    change = {"field": "messages", "value": value}
    raw = json.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}
    ).encode()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return httpx.post(
        f"{base}/hooks/whatsapp",
        content=raw,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        timeout=10,
    )


def test_a_whatsapp_customer_answers_the_survey_with_a_reply_button(
    world: Any, live_server: Any, graph: FakeGraph
) -> None:
    luis = world.contacts["pro"]
    luis.phone = "+52 81 2698 2507"
    luis.save(update_fields=["phone"])
    asked = meta_sends(
        live_server.url,
        {
            "from": "5218126982507",
            "id": "wamid.E2E1",
            "timestamp": str(int(time.time())),
            "type": "text",
            "text": {"body": "La máquina 9 no vende"},
        },
    )
    ticket = Ticket.objects.get(pk=asked.json()["messages"][0]["ticket"])
    tickets.change_status(
        ticket=ticket, status="solved", actor=world.agents["t1"], at=timezone.now()
    )
    worker = Worker()
    worker.run()

    assert graph.problems == []
    survey = graph.sent()[-1]
    assert survey["type"] == "interactive"
    neutral = survey["interactive"]["action"]["buttons"][1]["reply"]
    assert neutral["id"].startswith("csat:neutral:")

    pressed = meta_sends(
        live_server.url,
        {
            "from": "5218126982507",
            "id": "wamid.E2E2",
            "timestamp": str(int(time.time())),
            "type": "interactive",
            "context": {"from": "528100000000", "id": "wamid.FAKE3"},
            "interactive": {"type": "button_reply", "button_reply": neutral},
        },
    )
    worker.run()

    assert pressed.json()["messages"][0]["outcome"] == "answered"
    assert Survey.objects.get(ticket=ticket).answer == "neutral"
    thanks = graph.sent()[-1]
    assert thanks["type"] == "text"
    assert "/csat/" in thanks["text"]["body"]
    assert graph.problems == []
