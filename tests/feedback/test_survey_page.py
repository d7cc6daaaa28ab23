"""The survey page: scanner-safe links (a GET never writes), the POST the page makes, change of
answer, comment, opt-out and undo, tampered and foreign links, window closed, voided."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from soporte.feedback import links
from soporte.feedback.models import Survey
from soporte.tickets import services as tickets
from soporte.tickets.models import EventKind
from survey_helpers import SOLVED, english, solved, solved_email, survey_links

pytestmark = pytest.mark.django_db

SOON = SOLVED + timedelta(minutes=10)


def survey_of(ticket: Any) -> Survey:
    return Survey.objects.get(ticket=ticket, voided_at__isnull=True)


def page(survey: Survey, answer: str = "") -> str:
    path = f"/csat/{links.token(survey)}"
    return f"{path}?answer={answer}" if answer else path


@pytest.fixture
def at_soon() -> Any:
    with time_machine.travel(SOON, tick=False):
        yield


def test_the_resolution_email_carries_three_links_in_text_and_html(world: Any) -> None:
    ticket = solved(world)
    email = solved_email(ticket)
    survey = survey_of(ticket)
    expected = {a: page(survey, a) for a in ("up", "neutral", "down")}
    assert survey_links(email["body"]) == expected
    assert survey_links(email["html"]) == expected
    assert "👍" in email["body"]
    assert "😐" in email["html"]
    assert "👎" in email["html"]


@pytest.mark.usefixtures("at_soon")
def test_a_link_scanner_fetching_every_link_records_nothing(world: Any) -> None:
    ticket = solved(world)
    scanner = Client()  # GET only, runs no script
    for path in survey_links(solved_email(ticket)["body"]).values():
        response = scanner.get(path)
        assert response.status_code == 200
        assert response["X-Robots-Tag"] == "noindex"
        assert response["Referrer-Policy"] == "same-origin"  # the token stays here
        scanner.head(path)
    survey = survey_of(ticket)
    assert (survey.answer, survey.answered_at) == ("", None)
    assert EventKind.SURVEY_ANSWERED not in ticket.timeline.values_list("kind", flat=True)


@pytest.mark.usefixtures("at_soon")
def test_the_page_shows_the_clicked_answer_chosen_and_the_script_that_sends_it(
    world: Any,
) -> None:
    survey = survey_of(solved(world))
    html = english(Client()).get(page(survey, "neutral")).content.decode()
    chosen = re.findall(r'value="(\w+)" class="csat-face chosen" aria-pressed="true"', html)
    assert chosen == ["neutral"]
    assert "data-csat-autosubmit" in html
    assert "/static/feedback/survey.js" in html
    assert "Press the highlighted answer to send it." in html  # without script: a button


@pytest.mark.usefixtures("at_soon")
def test_the_post_records_the_answer_then_a_comment_then_a_change(world: Any) -> None:
    ticket = solved(world)
    survey = survey_of(ticket)
    client = english(Client(enforce_csrf_checks=True))
    html = client.get(page(survey, "neutral")).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf is not None
    data = {"csrfmiddlewaretoken": csrf[1]}
    assert client.post(page(survey), {**data, "answer": "neutral"}).status_code == 302
    thanks = client.get(page(survey)).content.decode()
    assert "Thank you for your answer!" in thanks
    assert "data-csat-autosubmit" not in thanks
    client.post(page(survey), {**data, "answer": "neutral", "comment": " Tardaron mucho "})
    client.post(page(survey), {**data, "answer": "down"})
    survey.refresh_from_db()
    assert (survey.answer, survey.comment, survey.answered_at, survey.changed_at) == (
        "down",
        "Tardaron mucho",
        SOON,
        SOON,
    )
    assert "Tardaron mucho" in client.get(page(survey)).content.decode()


@pytest.mark.usefixtures("at_soon")
def test_a_post_without_the_page_token_is_refused(world: Any) -> None:
    survey = survey_of(solved(world))
    client = Client(enforce_csrf_checks=True)
    assert client.post(page(survey), {"answer": "up"}).status_code == 403
    assert survey_of(survey.ticket).answer == ""


@pytest.mark.usefixtures("at_soon")
def test_bad_input_names_the_field_and_writes_nothing(world: Any) -> None:
    survey = survey_of(solved(world))
    client = english(Client())
    response = client.post(page(survey), {"answer": "meh"})
    assert response.status_code == 400
    assert "answer: Select a valid choice." in response.content.decode()
    long = client.post(page(survey), {"answer": "up", "comment": "x" * 4001})
    assert long.status_code == 400
    assert "comment: " in long.content.decode()
    assert survey_of(survey.ticket).answer == ""


@pytest.mark.usefixtures("at_soon")
def test_tampered_unknown_and_foreign_tokens_are_404(world: Any) -> None:
    mine = survey_of(solved(world))
    theirs = survey_of(solved(world, "enterprise"))
    token = links.token(mine)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    forged = f"{mine.ticket_id}-{theirs.pk}:{token.partition(':')[2]}"
    client = Client()
    for bad in (tampered, forged, "garbage", f"{mine.ticket_id}-{mine.pk}"):
        assert client.get(f"/csat/{bad}?answer=up").status_code == 404
        assert client.post(f"/csat/{bad}", {"answer": "up"}).status_code == 404
        assert client.post(f"/csat/{bad}/surveys", {"send": "no"}).status_code == 404
    assert Survey.objects.exclude(answer="").count() == 0


def test_after_fourteen_days_the_page_says_so_and_writes_nothing(world: Any) -> None:
    survey = survey_of(solved(world))
    client = english(Client())
    with time_machine.travel(SOLVED + timedelta(days=14), tick=False):
        html = client.get(page(survey, "up")).content.decode()
        assert "This survey closed on" in html
        assert "data-csat-autosubmit" not in html
        assert client.post(page(survey), {"answer": "up"}).status_code == 409
    assert survey_of(survey.ticket).answer == ""


@pytest.mark.usefixtures("at_soon")
def test_a_reopen_voids_the_survey_and_its_page_says_why(world: Any) -> None:
    ticket = solved(world)
    survey = survey_of(ticket)
    tickets.change_status(ticket=ticket, status="open", actor=world.contacts["pro"], at=SOON)
    client = english(Client())
    assert "withdrawn" in client.get(page(survey, "up")).content.decode()
    response = client.post(page(survey), {"answer": "up"})
    assert response.status_code == 409
    assert "withdrawn" in response.content.decode()
    survey.refresh_from_db()
    assert (survey.answer, survey.voided_at) == ("", SOON)


@pytest.mark.usefixtures("at_soon")
def test_the_customer_opts_out_on_the_page_and_can_undo_it(world: Any) -> None:
    survey = survey_of(solved(world))
    contact = world.contacts["pro"]
    client = english(Client())
    assert client.post(page(survey) + "/surveys", {"send": "no"}).status_code == 302
    contact.refresh_from_db()
    assert contact.surveys_opted_out
    html = client.get(page(survey)).content.decode()
    assert "Send me surveys again" in html
    assert client.post(page(survey) + "/surveys", {"send": "maybe"}).status_code == 400
    client.post(page(survey) + "/surveys", {"send": "yes"})
    contact.refresh_from_db()
    assert not contact.surveys_opted_out


@pytest.mark.usefixtures("at_soon")
def test_the_page_speaks_the_contacts_language_unless_they_switch(world: Any) -> None:
    contact = world.contacts["pro"]
    contact.locale = "en"
    contact.save(update_fields=["locale"])
    survey = survey_of(solved(world))
    assert "How did we do with this ticket?" in Client().get(page(survey)).content.decode()
    assert 'lang="en"' in Client().get(page(survey)).content.decode()
    spanish = Client()
    spanish.cookies["soporte_language"] = "es-mx"
    assert 'lang="es-mx"' in spanish.get(page(survey)).content.decode()
