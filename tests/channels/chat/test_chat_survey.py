"""The CSAT survey in the chat widget: a ticket solved while the customer is there shows its
three answers in the next poll (and on the next open); the widget answers, comments and changes
through the same service; only the chat's own customer has a survey to answer."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from test_chat_api import _chat_settings, poll, say, signed, started

from soporte.feedback.models import Survey
from soporte.jobs.models import OutboxMessage
from soporte.tickets import services as tickets
from soporte.tickets.models import Ticket
from survey_helpers import OPENED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(_chat_settings.__name__)]

SOLVED = OPENED + timedelta(minutes=2)


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(OPENED, tick=False) as traveller:
        yield traveller


def answer(client: Client, token: str, **fields: str) -> Any:
    return client.post(
        "/chat/api/survey",
        json.dumps(fields),
        content_type="application/json",
        headers={"X-Chat-Token": token},
    )


def chat_solved(world: Any, client: Client, lang: str = "en") -> tuple[str, Ticket, int]:
    token, _ = started(client, **signed(world.contacts["pro"]), lang=lang)
    sent = say(client, token, "c-1", "Hola").json()["message"]
    ticket = Ticket.objects.get()
    tickets.change_status(ticket=ticket, status="solved", actor=world.agents["t1"], at=OPENED)
    return token, ticket, sent["id"]


def test_a_ticket_solved_while_the_widget_is_open_shows_the_survey_there(
    world: Any, client: Client
) -> None:
    token, _, after = chat_solved(world, client)
    got = poll(client, token, after=after)
    assert got["messages"][-1]["author"] == "system"
    assert [(c["answer"], c["label"]) for c in got["survey"]["choices"]] == [
        ("up", "👍 Good"),
        ("neutral", "😐 Okay"),
        ("down", "👎 Not good"),
    ]
    assert (got["survey"]["answer"], got["survey"]["open"]) == ("", True)
    emails = OutboxMessage.objects.filter(transport="email")
    assert not [e for e in emails if "/csat/" in e.payload.get("body", "")]  # live: no email
    reopened = client.get("/chat/api/conversation", headers={"X-Chat-Token": token}).json()
    assert reopened["survey"] == got["survey"]  # and on the next open


def test_the_widget_answers_comments_and_changes_through_the_service(
    world: Any, client: Client
) -> None:
    token, ticket, _ = chat_solved(world, client)
    first = answer(client, token, answer="neutral")
    assert first.status_code == 200
    assert first.json()["survey"]["answer"] == "neutral"
    answer(client, token, answer="neutral", comment="Tardó un poco")
    changed = answer(client, token, answer="up").json()["survey"]
    assert (changed["answer"], changed["comment"]) == ("up", "Tardó un poco")
    survey = Survey.objects.get(ticket=ticket)
    assert (survey.answer, survey.comment, survey.answered_at) == ("up", "Tardó un poco", OPENED)


def test_bad_answers_and_closed_surveys_are_refused(world: Any, client: Client, clock: Any) -> None:
    token, ticket, _ = chat_solved(world, client)
    refused = answer(client, token, answer="meh")
    assert refused.status_code == 422
    assert refused.json()["error"].startswith("answer: ")
    clock.move_to(OPENED + timedelta(days=14))
    closed = answer(client, token, answer="up")
    assert closed.status_code == 409
    assert Survey.objects.get(ticket=ticket).answer == ""


def test_no_survey_before_the_ticket_is_solved_or_without_a_token(
    world: Any, client: Client
) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]))
    say(client, token, "c-1", "Hola")
    assert poll(client, token)["survey"] is None
    assert answer(client, token, answer="up").status_code == 404
    assert answer(client, "not-a-token", answer="up").status_code == 401


def test_another_customers_chat_cannot_answer_this_survey(world: Any, client: Client) -> None:
    _, ticket, _ = chat_solved(world, client)
    other, _ = started(Client(), **signed(world.contacts["enterprise"]))
    assert answer(client, other, answer="down").status_code == 404
    assert Survey.objects.get(ticket=ticket).answer == ""


def survey_reads(run: Any) -> int:
    """How many SELECTs of surveys ``run()`` makes."""
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum(
        1 for q in queries.captured_queries if q["sql"].startswith("SELECT") and SURVEYS in q["sql"]
    )


SURVEYS = '"feedback_survey"'


def test_a_poll_reads_no_survey_while_the_ticket_was_never_solved(
    world: Any, client: Client
) -> None:
    token, _ = started(client, **signed(world.contacts["pro"]))
    say(client, token, "c-1", "Hola")
    latest = poll(client, token)["messages"][-1]["id"]

    assert survey_reads(lambda: poll(client, token, after=latest)) == 0
    assert survey_reads(lambda: poll(client, token)) == 1  # woke with messages: it may be solved


def test_answering_in_the_widget_reads_the_survey_once_besides_the_locked_read(
    world: Any, client: Client
) -> None:
    token, _, _ = chat_solved(world, client)

    reads = survey_reads(lambda: answer(client, token, answer="neutral"))

    assert reads == 2  # the chat's survey, then the service's locked re-read
