"""CSAT over WhatsApp and Slack through the running desk (live server, no browser): the
provider's side (the test) posts signed requests over HTTP, the worker sends the survey's
buttons to the local fakes in the documented formats, and the customer's press, posted back
as the provider sends it, records the answer and is answered in the channel."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from django.utils import timezone

from channels.slack.fake_slack import TOKEN as SLACK_TOKEN
from channels.slack.fake_slack import FakeSlack
from channels.whatsapp.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph
from notify.notify_helpers import Worker
from soporte.channels.slack.domain.signing import sign
from soporte.channels.slack.models import SlackChannel
from soporte.feedback.models import Survey
from soporte.tickets import services as tickets
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.slow  # a live server

APP_SECRET = "e2e-app-secret"
SIGNING_SECRET = "e2e-signing-secret"


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


@pytest.fixture
def fake_slack(settings: Any) -> Iterator[FakeSlack]:
    fake = FakeSlack()
    settings.SOPORTE_SLACK_API_URL = f"{fake.base_url}/api/"
    settings.SOPORTE_SLACK_BOT_TOKEN = SLACK_TOKEN
    settings.SOPORTE_SLACK_SIGNING_SECRET = SIGNING_SECRET
    yield fake
    fake.close()


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


def test_a_slack_customer_answers_the_survey_with_a_block_kit_button(
    world: Any, live_server: Any, fake_slack: FakeSlack
) -> None:
    base = live_server.url
    SlackChannel.objects.create(
        team_id="T111", channel_id="C333", organisation=world.orgs["pro"], created_at=timezone.now()
    )
    fake_slack.user("U444", email="ana@pro.example", name="Ana")
    root = f"{time.time():.6f}"
    event = {
        "type": "event_callback",
        "team_id": "T111",
        "event_id": "EvE2E1",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T111", "user_id": "U_BOT", "is_bot": True}],
        "event": {
            "type": "message",
            "channel": "C333",
            "user": "U444",
            "text": "No vende",
            "ts": root,
        },
    }
    assert slack_sends(base, "/hooks/slack", json.dumps(event).encode()).status_code == 200
    worker = Worker()
    worker.run()
    ticket = Ticket.objects.get()
    tickets.change_status(
        ticket=ticket, status="solved", actor=world.agents["t1"], at=timezone.now()
    )
    worker.run()
    (notice,) = [p for p in fake_slack.posts if "blocks" in p]  # the solved notice
    down = notice["blocks"][-1]["elements"][2]
    assert down["action_id"] == "csat_down"

    action = {
        "type": "block_actions",
        "user": {"id": "U444", "team_id": "T_CUSTOMER"},
        "team": {"id": "T111"},
        "channel": {"id": "C333"},
        "container": {
            "type": "message",
            "message_ts": notice["ts"],
            "channel_id": "C333",
            "thread_ts": root,
        },
        "response_url": "https://hooks.slack.com/actions/T111/1/abcd",
        "actions": [{**down, "block_id": "csat", "action_ts": f"{time.time():.6f}"}],
    }
    form = urlencode({"payload": json.dumps(action)}).encode()
    pressed = slack_sends(base, "/hooks/slack/interactions", form, form_encoded=True)
    worker.run()

    assert (pressed.status_code, pressed.content) == (200, b"")
    assert Survey.objects.get(ticket=ticket).answer == "down"
    (update,) = fake_slack.updates
    assert update["ts"] == notice["ts"]
    assert "👎" in update["blocks"][1]["elements"][0]["text"]
    assert fake_slack.problems == []


def slack_sends(base: str, path: str, body: bytes, *, form_encoded: bool = False) -> httpx.Response:
    """Slack's side: a request to ``path``, signed now."""
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded" if form_encoded else "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(secret=SIGNING_SECRET, raw_body=body, timestamp=stamp),
    }
    return httpx.post(f"{base}{path}", content=body, headers=headers, timeout=10)
