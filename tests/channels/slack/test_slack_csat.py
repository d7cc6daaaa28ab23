"""CSAT in a Slack Connect thread against the local fake Web API: the solved notice carries the
survey as Block Kit buttons, and a signed ``block_actions`` request to
``/hooks/slack/interactions`` records the answer once, changes it, updates the message
(``chat.update``), or is refused (wrong signature), ignored (tampered token, another
organisation's channel), answered politely (withdrawn survey), or not counted when the person
who pressed is no contact of the ticket's organisation (an internal note says so)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from fake_slack import FakeSlack
from slack_helpers import CHANNEL, SECRET, TEAM, Worker, deliver, envelope, link, message

from soporte.accounts import services as accounts
from soporte.channels.slack.domain.signing import sign
from soporte.feedback import links
from soporte.feedback.models import Survey
from soporte.jobs.models import OutboxMessage
from soporte.tickets import services as tickets
from soporte.tickets.models import EventKind, MessageKind, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def solved(world: Any, fake_slack: FakeSlack, worker: Worker, settings: Any) -> Ticket:
    """Ana (Pro, English) asked in the Pro channel; T1 solved the ticket; all posted."""
    settings.PUBLIC_BASE_URL = "https://desk.example.com"
    ana = world.contacts["pro"]
    ana.locale = "en"
    ana.save(update_fields=["locale"])
    link(world.orgs["pro"])
    fake_slack.user("U444", email="ana@pro.example", name="Ana")
    assert deliver(envelope(message(), event_id="Ev1")).status_code == 200
    worker.run()
    ticket = Ticket.objects.get()
    tickets.change_status(ticket=ticket, status="solved", actor=world.agents["t1"], at=worker.now)
    worker.run()
    return ticket


def token_of(ticket: Ticket) -> str:
    return links.token(Survey.objects.get(ticket=ticket))


def press(
    value: str,
    fake_slack: FakeSlack,
    *,
    answer: str = "neutral",
    at: datetime,
    action_ts: str = "1767700100.000100",
    channel: str = CHANNEL,
    user: str = "U444",
    signature: str | None = None,
) -> Any:
    """Slack's side: the person presses a button of the solved notice, at ``at``."""
    notice = fake_slack.posts[-1]
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "ana", "team_id": "T_CUSTOMER"},
        "api_app_id": "A222",
        "token": "XXYYZZ",
        "team": {"id": TEAM, "domain": "trackmyvend"},
        "container": {
            "type": "message",
            "message_ts": notice["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
            "thread_ts": notice["thread_ts"],
        },
        "trigger_id": "1234.5678.abcd",
        "channel": {"id": channel, "name": "trackmyvend-pro"},
        "message": {"type": "message", "ts": notice["ts"], "thread_ts": notice["thread_ts"]},
        "response_url": "https://hooks.slack.com/actions/T111/1/abcd",
        "actions": [
            {
                "type": "button",
                "action_id": f"csat_{answer}",
                "block_id": "csat",
                "text": {"type": "plain_text", "text": "😐 Okay", "emoji": True},
                "value": value,
                "action_ts": action_ts,
            }
        ],
    }
    return post(urlencode({"payload": json.dumps(payload)}).encode(), at=at, signature=signature)


def post(body: bytes, *, at: datetime, signature: str | None = None, signed_at: Any = None) -> Any:
    stamp = str(int((signed_at or at).timestamp()))
    headers = {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or sign(secret=SECRET, raw_body=body, timestamp=stamp),
    }
    with time_machine.travel(at, tick=False):
        return Client(enforce_csrf_checks=True).post(
            "/hooks/slack/interactions",
            data=body,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )


def test_the_solved_notice_carries_the_survey_as_block_kit_buttons(
    solved: Ticket, fake_slack: FakeSlack
) -> None:
    token = token_of(solved)
    assert fake_slack.problems == []
    notice = fake_slack.posts[-1]
    assert notice["thread_ts"] == message()["ts"]
    section, context, actions = notice["blocks"]
    assert section == {"type": "section", "text": {"type": "mrkdwn", "text": notice["text"]}}
    assert f"#{solved.pk}" in notice["text"]
    assert context == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f"How did we do with ticket #{solved.pk}?"}],
    }
    assert actions == {
        "type": "actions",
        "block_id": "csat",
        "elements": [
            {
                "type": "button",
                "action_id": f"csat_{answer}",
                "text": {"type": "plain_text", "text": label, "emoji": True},
                "value": token,
            }
            for answer, label in [
                ("up", "👍 Good"),
                ("neutral", "😐 Okay"),
                ("down", "👎 Not good"),
            ]
        ],
    }


def test_a_press_records_the_answer_and_updates_the_message(
    solved: Ticket, fake_slack: FakeSlack, worker: Worker
) -> None:
    token = token_of(solved)
    at = worker.now + timedelta(minutes=5)

    answered = press(token, fake_slack, at=at)
    worker.run(minutes=6)

    assert (answered.status_code, answered.content) == (200, b"")
    survey = Survey.objects.get(ticket=solved)
    assert (survey.answer, survey.answered_at) == ("neutral", at)
    note = solved.messages.get(provider_id="csat:1767700100.000100")
    assert note.kind == MessageKind.INTERNAL
    solved.refresh_from_db()
    assert solved.status == "solved"
    assert fake_slack.problems == []
    (update,) = fake_slack.updates
    notice = fake_slack.posts[-1]
    assert (update["channel"], update["ts"], update["text"]) == (
        CHANNEL,
        notice["ts"],
        notice["text"],
    )
    _section, context, actions = update["blocks"]
    assert context["elements"][0]["text"] == (
        f"Thanks, you chose 😐 — add a comment or change it: <https://desk.example.com/csat/{token}>"
    )
    assert [b.get("style") for b in actions["elements"]] == [None, "primary", None]


def test_a_repeated_press_records_nothing_twice(
    solved: Ticket, fake_slack: FakeSlack, worker: Worker
) -> None:
    token = token_of(solved)
    at = worker.now + timedelta(minutes=5)
    press(token, fake_slack, at=at)

    again = press(token, fake_slack, at=at + timedelta(seconds=2))

    assert again.status_code == 200
    assert solved.timeline.filter(kind=EventKind.SURVEY_ANSWERED).count() == 1
    assert OutboxMessage.objects.filter(transport="slack.update").count() == 1


def test_a_second_press_changes_the_answer_and_the_same_answer_again_changes_nothing(
    solved: Ticket, fake_slack: FakeSlack, worker: Worker
) -> None:
    token = token_of(solved)
    at = worker.now + timedelta(minutes=5)
    press(token, fake_slack, answer="up", at=at, action_ts="1767700100.000001")

    press(token, fake_slack, answer="down", at=at + timedelta(hours=1), action_ts="1767700200.1")
    press(token, fake_slack, answer="down", at=at + timedelta(hours=2), action_ts="1767700300.1")
    worker.run(hours=3)

    survey = Survey.objects.get(ticket=solved)
    assert (survey.answer, survey.answered_at, survey.changed_at) == (
        "down",
        at,
        at + timedelta(hours=1),
    )
    events = solved.timeline.filter(kind=EventKind.SURVEY_ANSWERED).order_by("at")
    assert [(e.data["old"], e.data["new"]) for e in events] == [("", "up"), ("up", "down")]
    assert len(fake_slack.updates) == 3  # each press shows the face chosen
    assert fake_slack.problems == []


def test_a_press_on_a_withdrawn_survey_records_nothing_and_says_so(
    solved: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    token = token_of(solved)
    at = worker.now + timedelta(minutes=5)
    tickets.change_status(ticket=solved, status="open", actor=world.agents["t1"], at=at)

    answered = press(token, fake_slack, at=at + timedelta(minutes=1))
    worker.run(minutes=10)

    assert answered.status_code == 200
    assert Survey.objects.get(ticket=solved).answer == ""
    assert not solved.timeline.filter(kind=EventKind.SURVEY_ANSWERED).exists()
    (update,) = fake_slack.updates
    assert [b["type"] for b in update["blocks"]] == ["section", "context"]  # no more buttons
    assert update["blocks"][1]["elements"][0]["text"] == (
        f"This survey was withdrawn: ticket #{solved.pk} was reopened. We will ask again once "
        "it is solved."
    )


@pytest.mark.parametrize(
    "email",
    ["lead1@trackmyvend.example", "ana@starter.example", "stranger@elsewhere.example", ""],
    ids=["desk agent", "another organisation's contact", "nobody's address", "no address"],
)
def test_a_press_by_someone_who_is_no_contact_of_the_organisation_is_not_counted(
    solved: Ticket, fake_slack: FakeSlack, worker: Worker, email: str
) -> None:
    fake_slack.user("U_OTHER", email=email, name="Someone")
    at = worker.now + timedelta(minutes=5)

    answered = press(token_of(solved), fake_slack, user="U_OTHER", at=at)
    again = press(token_of(solved), fake_slack, user="U_OTHER", at=at + timedelta(seconds=3))
    worker.run(minutes=10)

    assert (answered.status_code, again.status_code) == (200, 200)
    assert Survey.objects.get(ticket=solved).answer == ""
    assert not solved.timeline.filter(kind=EventKind.SURVEY_ANSWERED).exists()
    assert fake_slack.updates == []  # the buttons stay for the customer
    (note,) = solved.messages.filter(provider_id="csat:1767700100.000100")
    assert note.kind == MessageKind.INTERNAL
    assert "U_OTHER" in note.body
    assert "Pro Vending" in note.body


def test_a_press_by_a_contact_of_the_organisation_who_never_wrote_counts(
    solved: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    accounts.create_contact(organisation=world.orgs["pro"], email="beto@pro.example", name="Beto")
    fake_slack.user("U_BETO", email="Beto@Pro.example", name="Beto")

    press(token_of(solved), fake_slack, user="U_BETO", at=worker.now + timedelta(minutes=5))

    assert Survey.objects.get(ticket=solved).answer == "neutral"


@pytest.mark.parametrize("value", ["{token}x", "1-1:forged", ""])
def test_a_tampered_token_is_ignored_and_writes_nothing(
    solved: Ticket, fake_slack: FakeSlack, worker: Worker, value: str
) -> None:
    answered = press(
        value.format(token=token_of(solved)), fake_slack, at=worker.now + timedelta(minutes=5)
    )

    assert answered.status_code == 200
    assert Survey.objects.get(ticket=solved).answer == ""
    assert not OutboxMessage.objects.filter(transport="slack.update").exists()


def test_a_press_in_another_organisations_channel_is_ignored(
    solved: Ticket, world: Any, fake_slack: FakeSlack, worker: Worker
) -> None:
    link(world.orgs["starter"], channel="C_OTHER")

    answered = press(
        token_of(solved), fake_slack, channel="C_OTHER", at=worker.now + timedelta(minutes=5)
    )

    assert answered.status_code == 200
    assert Survey.objects.get(ticket=solved).answer == ""
    assert not OutboxMessage.objects.filter(transport="slack.update").exists()


@pytest.mark.parametrize("trouble", ["wrong", "stale"])
def test_a_wrong_or_stale_signature_is_refused_and_writes_nothing(
    solved: Ticket, fake_slack: FakeSlack, worker: Worker, trouble: str
) -> None:
    at = worker.now + timedelta(minutes=5)
    body = urlencode({"payload": json.dumps({"type": "block_actions"})}).encode()
    if trouble == "wrong":
        refused = press(token_of(solved), fake_slack, at=at, signature="v0=" + "0" * 64)
    else:
        refused = post(body, at=at, signed_at=at - timedelta(seconds=301))

    assert refused.status_code == 401
    assert Survey.objects.get(ticket=solved).answer == ""
    assert not OutboxMessage.objects.filter(transport="slack.update").exists()


def test_other_payloads_are_acknowledged_and_a_body_that_is_no_payload_is_a_400(
    solved: Ticket, worker: Worker
) -> None:
    at = worker.now
    other = urlencode({"payload": json.dumps({"type": "view_submission"})}).encode()

    assert post(other, at=at).status_code == 200
    unreadable = post(b'{"type": "block_actions"}', at=at)
    assert unreadable.status_code == 400
    assert "payload" in unreadable.json()["detail"]


def test_without_a_signing_secret_the_endpoint_does_not_exist(
    solved: Ticket, worker: Worker, settings: Any
) -> None:
    settings.SOPORTE_SLACK_SIGNING_SECRET = ""

    assert post(b"payload=%7B%7D", at=worker.now).status_code == 404
