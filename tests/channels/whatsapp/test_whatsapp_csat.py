"""CSAT over WhatsApp against the local fake Graph API: the resolution notice is followed by the
survey's three reply buttons (inside the 24-hour window; outside it the timeline says why not),
and a press that comes back through the webhook records the answer once, changes it, or is
refused politely (withdrawn survey) or ignored (tampered id, another number's survey)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fake_graph import FakeGraph
from whatsapp_helpers import message, payload, post, text

from soporte.feedback import links
from soporte.feedback.models import Survey
from soporte.jobs.models import OutboxMessage
from soporte.tickets import services as tickets
from soporte.tickets.models import EventKind, MessageKind, Ticket

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
SOLVED = AT + timedelta(hours=2)
LUIS = "5218126982507"


@pytest.fixture
def solved(world: Any, graph: FakeGraph, worker: Any, settings: Any) -> Ticket:
    """Luis (Pro, English) wrote at ``AT``; T1 solved his ticket at ``SOLVED``; all sent."""
    settings.PUBLIC_BASE_URL = "https://desk.example.com"
    luis = world.contacts["pro"]
    luis.phone = "8126982507"
    luis.locale = "en"
    luis.save(update_fields=["phone", "locale"])
    response = post(payload(text("wamid.IN1", "No cobra", at=AT)), now=AT + timedelta(seconds=2))
    ticket = Ticket.objects.get(pk=response.json()["messages"][0]["ticket"])
    tickets.change_status(ticket=ticket, status="solved", actor=world.agents["t1"], at=SOLVED)
    worker.run(at=SOLVED)
    return ticket


def press(wamid: str, reply_id: str, *, at: datetime, sender: str = LUIS) -> Any:
    """Luis presses a reply button: the webhook's ``button_reply`` message."""
    pressed = message(
        wamid,
        at=at,
        sender=sender,
        kind="interactive",
        interactive={"type": "button_reply", "button_reply": {"id": reply_id, "title": "😐"}},
        context={"from": "15550783881", "id": "wamid.FAKE3"},
    )
    return post(payload(pressed), now=at + timedelta(seconds=1))


def survey_of(ticket: Ticket) -> Survey:
    return Survey.objects.get(ticket=ticket)


def test_the_survey_follows_the_resolution_notice_as_three_reply_buttons(
    solved: Ticket, graph: FakeGraph
) -> None:
    token = links.token(survey_of(solved))
    assert graph.problems == []
    _ack, notice, survey = graph.sent()
    assert "solved" in notice["text"]["body"]
    assert survey == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": LUIS,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": f"How did we do with ticket #{solved.pk}?"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": f"csat:up:{token}", "title": "👍 Good"}},
                    {
                        "type": "reply",
                        "reply": {"id": f"csat:neutral:{token}", "title": "😐 Okay"},
                    },
                    {
                        "type": "reply",
                        "reply": {"id": f"csat:down:{token}", "title": "👎 Not good"},
                    },
                ]
            },
        },
    }


def test_outside_the_window_no_buttons_go_and_the_timeline_says_why(
    world: Any, graph: FakeGraph, worker: Any
) -> None:
    luis = world.contacts["pro"]
    luis.phone = "8126982507"
    luis.save(update_fields=["phone"])
    response = post(payload(text("wamid.IN1", "No cobra", at=AT)), now=AT + timedelta(seconds=2))
    ticket = Ticket.objects.get(pk=response.json()["messages"][0]["ticket"])
    late = AT + timedelta(hours=30)

    tickets.change_status(ticket=ticket, status="solved", actor=world.agents["t1"], at=late)
    worker.run(at=late)

    assert [m["type"] for m in graph.sent()] == ["text", "template"]
    skipped = ticket.timeline.get(kind=EventKind.SURVEY_SKIPPED)
    assert skipped.data == {"survey": survey_of(ticket).pk, "reason": "whatsapp_window_closed"}


def test_a_press_records_the_answer_and_thanks_with_the_survey_page(
    solved: Ticket, graph: FakeGraph, worker: Any
) -> None:
    token = links.token(survey_of(solved))
    at = SOLVED + timedelta(minutes=5)

    answered = press("wamid.PRESS1", f"csat:neutral:{token}", at=at)
    worker.run(at=at + timedelta(seconds=1))

    assert answered.status_code == 200
    assert answered.json()["messages"] == [
        {"id": "wamid.PRESS1", "outcome": "answered", "ticket": solved.pk}
    ]
    survey = survey_of(solved)
    assert (survey.answer, survey.answered_at) == ("neutral", at)
    solved.refresh_from_db()
    assert solved.status == "solved"  # a press is no reply: the ticket stays solved
    note = solved.messages.get(provider_id="wamid.PRESS1")
    assert note.kind == MessageKind.INTERNAL
    assert "😐" in note.body
    assert graph.problems == []
    thanks = graph.sent()[-1]
    assert thanks["context"] == {"message_id": "wamid.PRESS1"}
    assert thanks["text"]["body"] == (
        f"Thanks, you chose 😐 — add a comment or change it: https://desk.example.com/csat/{token}"
    )


def test_a_repeated_delivery_of_the_press_records_nothing_twice(
    solved: Ticket, worker: Any
) -> None:
    token = links.token(survey_of(solved))
    at = SOLVED + timedelta(minutes=5)
    press("wamid.PRESS1", f"csat:down:{token}", at=at)

    again = press("wamid.PRESS1", f"csat:down:{token}", at=at + timedelta(minutes=1))

    assert again.json()["messages"][0]["outcome"] == "duplicate"
    assert solved.timeline.filter(kind=EventKind.SURVEY_ANSWERED).count() == 1
    assert OutboxMessage.objects.filter(idempotency_key__contains="whatsapp:csat:").count() == 1


def test_a_second_press_changes_the_answer_and_the_same_answer_again_changes_nothing(
    solved: Ticket,
) -> None:
    token = links.token(survey_of(solved))
    at = SOLVED + timedelta(minutes=5)
    press("wamid.PRESS1", f"csat:up:{token}", at=at)

    press("wamid.PRESS2", f"csat:down:{token}", at=at + timedelta(hours=1))
    press("wamid.PRESS3", f"csat:down:{token}", at=at + timedelta(hours=2))

    survey = survey_of(solved)
    assert (survey.answer, survey.answered_at) == ("down", at)
    assert survey.changed_at == at + timedelta(hours=1)
    events = solved.timeline.filter(kind=EventKind.SURVEY_ANSWERED).order_by("at")
    assert [(e.data["old"], e.data["new"]) for e in events] == [("", "up"), ("up", "down")]


def test_a_press_on_a_withdrawn_survey_records_nothing_and_says_so(
    solved: Ticket, graph: FakeGraph, worker: Any
) -> None:
    token = links.token(survey_of(solved))
    at = SOLVED + timedelta(hours=1)
    post(payload(text("wamid.IN2", "Sigue sin cobrar", at=at)), now=at)  # reopens the ticket

    press("wamid.PRESS1", f"csat:up:{token}", at=at + timedelta(minutes=1))
    worker.run(at=at + timedelta(minutes=2))

    survey = survey_of(solved)
    assert survey.voided_at == at
    assert survey.answer == ""
    assert not solved.timeline.filter(kind=EventKind.SURVEY_ANSWERED).exists()
    assert not solved.messages.filter(provider_id="wamid.PRESS1").exists()
    assert graph.sent()[-1]["text"]["body"] == (
        f"This survey was withdrawn: ticket #{solved.pk} was reopened. We will ask again once "
        "it is solved."
    )


@pytest.mark.parametrize(
    "reply_id",
    [
        "csat:up:{token}x",  # the signature no longer matches
        "csat:up:1-1:forged",
        "csat:great:{token}",  # not one of the answers
        "csat:",
    ],
)
def test_a_tampered_press_is_ignored_and_writes_nothing(
    solved: Ticket, graph: FakeGraph, worker: Any, reply_id: str
) -> None:
    token = links.token(survey_of(solved))
    at = SOLVED + timedelta(minutes=5)
    sent = len(graph.sent())

    answered = press("wamid.PRESS1", reply_id.format(token=token), at=at)
    worker.run(at=at + timedelta(seconds=1))

    assert answered.json()["messages"][0]["outcome"] == "ignored"
    assert survey_of(solved).answer == ""
    assert not solved.messages.filter(provider_id="wamid.PRESS1").exists()
    assert len(graph.sent()) == sent


def test_another_numbers_press_on_the_survey_is_ignored(solved: Ticket) -> None:
    token = links.token(survey_of(solved))

    answered = press(
        "wamid.PRESS1", f"csat:up:{token}", at=SOLVED + timedelta(minutes=5), sender="5215512345678"
    )

    assert answered.json()["messages"][0]["outcome"] == "ignored"
    assert survey_of(solved).answer == ""
