"""The CSAT survey on the portal's ticket page: the requester's three buttons (POST), their
answer, comment and change afterwards; nobody else's survey, ever."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from portal_helpers import signed_in

from soporte.accounts import services as accounts
from soporte.feedback.models import Survey
from survey_helpers import SOLVED, solved

pytestmark = pytest.mark.django_db

SOON = SOLVED + timedelta(minutes=10)


@pytest.fixture(autouse=True)
def _at_soon() -> Any:
    with time_machine.travel(SOON, tick=False):
        yield


def faces(html: str) -> list[str]:
    return re.findall(r'<button type="submit" name="answer" value="(\w+)"', html)


def test_the_requester_sees_three_buttons_and_answers_with_one(world: Any) -> None:
    ticket = solved(world)
    client = signed_in(world.contacts["pro"])
    html = client.get(f"/portal/tickets/{ticket.pk}").content.decode()
    assert faces(html) == ["up", "neutral", "down"]
    response = client.post(f"/portal/tickets/{ticket.pk}/survey", {"answer": "neutral"})
    assert response.status_code == 302
    assert Survey.objects.get(ticket=ticket).answer == "neutral"
    after = client.get(f"/portal/tickets/{ticket.pk}").content.decode()
    assert re.search(r'value="neutral" class="csat-face chosen" aria-pressed="true"', after)
    assert "Anything you want to add? (optional)" in after
    client.post(f"/portal/tickets/{ticket.pk}/survey", {"answer": "neutral", "comment": "Lento"})
    client.post(f"/portal/tickets/{ticket.pk}/survey", {"answer": "up"})
    survey = Survey.objects.get(ticket=ticket)
    assert (survey.answer, survey.comment) == ("up", "Lento")


def test_a_customer_who_solves_their_own_ticket_gets_the_buttons(world: Any) -> None:
    ticket = solved(world, by="requester")
    html = signed_in(world.contacts["pro"]).get(f"/portal/tickets/{ticket.pk}").content.decode()
    assert faces(html) == ["up", "neutral", "down"]


def test_another_contact_of_the_organisation_sees_the_ticket_but_not_the_survey(
    world: Any,
) -> None:
    ticket = solved(world)
    colleague = accounts.create_contact(
        organisation=world.orgs["pro"], email="luis@pro.example", name="Luis", password="pw-1234567"
    )
    client = signed_in(colleague)
    page = client.get(f"/portal/tickets/{ticket.pk}")
    assert page.status_code == 200
    assert faces(page.content.decode()) == []
    assert client.post(f"/portal/tickets/{ticket.pk}/survey", {"answer": "down"}).status_code == 404
    assert Survey.objects.get(ticket=ticket).answer == ""


def test_a_customer_of_another_organisation_gets_404(world: Any) -> None:
    ticket = solved(world)
    client = signed_in(world.contacts["enterprise"])
    assert client.get(f"/portal/tickets/{ticket.pk}").status_code == 404
    assert client.post(f"/portal/tickets/{ticket.pk}/survey", {"answer": "down"}).status_code == 404
    assert Survey.objects.get(ticket=ticket).answer == ""


@pytest.mark.parametrize("agent", ["t1", "lead1", "admin"])
def test_agents_are_sent_to_the_console(world: Any, agent: str) -> None:
    ticket = solved(world)
    response = signed_in(world.agents[agent]).post(
        f"/portal/tickets/{ticket.pk}/survey", {"answer": "down"}
    )
    assert response.status_code == 302
    assert "/portal/" not in response["Location"]
    assert Survey.objects.get(ticket=ticket).answer == ""


def test_a_bad_answer_is_named_and_writes_nothing(world: Any) -> None:
    ticket = solved(world)
    client = signed_in(world.contacts["pro"])
    response = client.post(f"/portal/tickets/{ticket.pk}/survey", {"answer": "meh"}, follow=True)
    assert "answer: Select a valid choice." in response.content.decode()
    assert Survey.objects.get(ticket=ticket).answer == ""


def test_after_the_window_the_answer_shows_without_buttons(world: Any) -> None:
    ticket = solved(world)
    client = signed_in(world.contacts["pro"])
    client.post(f"/portal/tickets/{ticket.pk}/survey", {"answer": "down"})
    with time_machine.travel(SOLVED + timedelta(days=14), tick=False):
        html = client.get(f"/portal/tickets/{ticket.pk}").content.decode()
        assert faces(html) == []
        assert "Your answer: 👎 Not good." in html
        client.post(f"/portal/tickets/{ticket.pk}/survey", {"answer": "up"})
    assert Survey.objects.get(ticket=ticket).answer == "down"
