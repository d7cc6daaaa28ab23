"""A Slack Connect thread goes round through the running desk (live server, no browser): Slack's
side posts a signed event to ``/hooks/slack``, the worker files it and acknowledges in the
thread on the local fake Web API, an agent answers from the console over HTTP, the reply
reaches the fake in the thread in the documented format, and the customer's answer in the
thread is appended."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from django.utils import timezone

from channels.slack.fake_slack import TOKEN, FakeSlack
from soporte.accounts import services as accounts
from soporte.channels.slack.domain.signing import sign
from soporte.channels.slack.models import SlackChannel
from soporte.feedback.models import Survey
from soporte.jobs import services as jobs
from soporte.tickets import services as tickets
from soporte.tickets.models import AuthorKind, Ticket

pytestmark = pytest.mark.slow  # a live server

SECRET = "e2e-signing-secret"
PASSWORD = "pw-12345678"


@pytest.fixture
def fake_slack(settings: Any) -> Iterator[FakeSlack]:
    fake = FakeSlack()
    settings.SOPORTE_SLACK_API_URL = f"{fake.base_url}/api/"
    settings.SOPORTE_SLACK_BOT_TOKEN = TOKEN
    settings.SOPORTE_SLACK_SIGNING_SECRET = SECRET
    yield fake
    fake.close()


def slack_sends(base: str, event: dict[str, Any], event_id: str) -> httpx.Response:
    """Slack's side: the Events API request, signed now."""
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T111",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T111", "user_id": "U_BOT", "is_bot": True}],
            "event": event,
        }
    ).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(secret=SECRET, raw_body=body, timestamp=stamp),
    }
    return httpx.post(f"{base}/hooks/slack", content=body, headers=headers, timeout=10)


def slack_interacts(base: str, form: bytes) -> httpx.Response:
    """Slack's side: an interactivity request (``payload=<json>``), signed now."""
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(secret=SECRET, raw_body=form, timestamp=stamp),
    }
    return httpx.post(f"{base}/hooks/slack/interactions", content=form, headers=headers, timeout=10)


def work() -> None:
    """The worker: run what is due now until nothing is."""
    while jobs.run_due(worker="e2e-worker", now=timezone.now()):
        pass


def csrf(client: httpx.Client, url: str) -> str:
    page = client.get(url)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def test_a_slack_thread_goes_round_through_the_running_desk(
    live_server: Any, fake_slack: FakeSlack
) -> None:
    base = live_server.url
    pro = accounts.create_organisation(name="Café Express MTY", plan="pro")
    accounts.create_contact(organisation=pro, email="luis@cafe.example", name="Luis", locale="es")
    accounts.create_agent(email="lucia@trackmyvend.example", name="Lucía", password=PASSWORD)
    SlackChannel.objects.create(
        team_id="T111", channel_id="C333", organisation=pro, created_at=timezone.now()
    )
    fake_slack.user("U444", email="luis@cafe.example", name="Luis T.")
    root = f"{time.time():.6f}"

    asked = slack_sends(
        base,
        {
            "type": "message",
            "channel": "C333",
            "user": "U444",
            "text": "La máquina 7 no vende",
            "ts": root,
        },
        "EvE2E1",
    )
    assert (asked.status_code, asked.json()) == (200, {"status": "queued"})
    work()
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.requester.email) == ("slack", "luis@cafe.example")
    (ack,) = fake_slack.posts
    assert (ack["channel"], ack["thread_ts"]) == ("C333", root)

    with httpx.Client(base_url=base, timeout=10, follow_redirects=False) as agent:
        token = csrf(agent, "/login/")
        signed_in = agent.post(
            "/login/",
            data={
                "email": "lucia@trackmyvend.example",
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
        )
        assert signed_in.status_code == 302
        token = csrf(agent, f"/console/tickets/{ticket.pk}")
        answered = agent.post(
            f"/console/tickets/{ticket.pk}/reply",
            data={
                "body": "Ya la reiniciamos, ¿vende ahora?",
                "kind": "public",
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{base}/console/tickets/{ticket.pk}"},
        )
        assert answered.status_code == 302, answered.text[:500]
    work()

    reply = fake_slack.calls("chat.postMessage")[-1]
    assert reply.headers["Authorization"] == f"Bearer {TOKEN}"
    sent = reply.json()
    assert (sent["channel"], sent["thread_ts"]) == ("C333", root)
    assert sent["text"] == "*Lucía*: Ya la reiniciamos, ¿vende ahora?"

    thanked = slack_sends(
        base,
        {
            "type": "message",
            "channel": "C333",
            "user": "U444",
            "text": "Sí, gracias",
            "ts": f"{time.time():.6f}",
            "thread_ts": root,
        },
        "EvE2E2",
    )
    assert thanked.status_code == 200
    work()
    said = ticket.messages.filter(author_kind=AuthorKind.CUSTOMER).order_by("created_at", "pk")
    assert [m.body for m in said] == ["<p>La máquina 7 no vende</p>", "<p>Sí, gracias</p>"]


def test_a_slack_customer_answers_the_survey_with_a_block_kit_button(
    world: Any, live_server: Any, fake_slack: FakeSlack
) -> None:
    base = live_server.url
    SlackChannel.objects.create(
        team_id="T111", channel_id="C333", organisation=world.orgs["pro"], created_at=timezone.now()
    )
    fake_slack.user("U444", email="ana@pro.example", name="Ana")
    root = f"{time.time():.6f}"
    event = {"type": "message", "channel": "C333", "user": "U444", "text": "No vende", "ts": root}
    assert slack_sends(base, event, "EvE2E1").status_code == 200
    work()
    ticket = Ticket.objects.get()
    tickets.change_status(
        ticket=ticket, status="solved", actor=world.agents["t1"], at=timezone.now()
    )
    work()
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
    pressed = slack_interacts(base, form)
    work()

    assert (pressed.status_code, pressed.content) == (200, b"")
    assert Survey.objects.get(ticket=ticket).answer == "down"
    (update,) = fake_slack.updates
    assert update["ts"] == notice["ts"]
    assert "👎" in update["blocks"][1]["elements"][0]["text"]
    assert fake_slack.problems == []
