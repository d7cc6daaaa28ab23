"""The console: the similar-ticket panel, "same problem", and the open recurrences' list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from recurrence_helpers import START, open_at

from soporte.feedback.models import Recurrence
from soporte.tickets.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db

NOW = START + timedelta(days=5)


def signed_in(world: Any, name: str) -> Client:
    client = Client()
    client.force_login(world.agents[name].user)
    return client


@pytest.fixture
def tickets(world: Any) -> dict[str, Any]:
    return {
        "sales": open_at(world, "No me llegan las ventas", "Desde ayer no veo ventas", days=0),
        "reader": open_at(world, "El lector de tarjetas no enciende", days=1),
        "new": open_at(world, "no aparecen mis ventas desde ayer", days=4),
    }


def test_the_ticket_page_lists_similar_tickets_with_a_same_problem_button(
    world: Any, tickets: Any
) -> None:
    client = signed_in(world, "t1")
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/console/tickets/{tickets['new'].pk}").content.decode()
        panel = client.get(f"/console/tickets/{tickets['new'].pk}/similar")
    # The page asks for the panel once it shows; the search runs only there.
    assert f'hx-get="/console/tickets/{tickets["new"].pk}/similar"' in page
    assert "data-ticket=" not in page
    html = panel.content.decode()
    assert panel.status_code == 200
    assert 'id="similar-panel"' in html
    assert f'data-ticket="{tickets["sales"].pk}"' in html
    assert f'name="earlier" value="{tickets["sales"].pk}"' in html
    assert f'data-ticket="{tickets["reader"].pk}"' not in html


def test_the_panel_answers_only_who_sees_the_ticket(world: Any, tickets: Any) -> None:
    client = Client()
    client.force_login(world.contacts["starter"].user)
    response = client.get(f"/console/tickets/{tickets['new'].pk}/similar")
    assert response.status_code in (302, 403, 404)
    assert b"data-ticket=" not in response.content


def test_same_problem_links_both_and_shows_on_both_timelines(world: Any, tickets: Any) -> None:
    client = signed_in(world, "t1")
    new, sales = tickets["new"], tickets["sales"]
    response = client.post(f"/console/tickets/{new.pk}/same-problem", {"earlier": sales.pk})
    assert response.status_code == 302
    found = Recurrence.objects.get()
    assert {m.ticket_id for m in found.members.all()} == {new.pk, sales.pk}
    assert TimelineEvent.objects.filter(kind=EventKind.RECURRENCE_LINKED).count() == 2
    page = client.get(f"/console/tickets/{sales.pk}").content.decode()
    assert f"#{new.pk}" in page
    assert "event-recurrence_linked" in page


@pytest.mark.parametrize("earlier", ["", "abc", "999999", "self", "later"])
def test_same_problem_refuses_a_bad_number_and_links_nothing(
    world: Any, tickets: Any, earlier: str
) -> None:
    value = {"self": tickets["sales"].pk, "later": tickets["new"].pk}.get(earlier, earlier)
    client = signed_in(world, "t2")
    response = client.post(
        f"/console/tickets/{tickets['sales'].pk}/same-problem", {"earlier": value}, follow=True
    )
    assert response.status_code == 200
    assert not Recurrence.objects.exists()
    said = [m.level_tag for m in response.context["messages"]]
    assert said == ["error"]


def test_the_list_offers_the_form_to_who_may_dispose(world: Any, tickets: Any) -> None:
    signed_in(world, "t1").post(
        f"/console/tickets/{tickets['new'].pk}/same-problem", {"earlier": tickets["sales"].pk}
    )
    found = Recurrence.objects.get()
    action = f"/console/recurrences/{found.pk}/disposition"
    for name, has_form in [("t1", True), ("lead2", True), ("t2", False)]:
        page = signed_in(world, name).get("/console/recurrences")
        assert page.status_code == 200
        assert f'data-recurrence="{found.pk}"' in page.content.decode()
        assert (action in page.content.decode()) is has_form
    refused = signed_in(world, "t2").post(action, {"kind": "no_action", "reason": "one-off"})
    assert refused.status_code == 302
    assert Recurrence.objects.get().is_open


def test_a_bad_disposition_keeps_what_was_typed_and_names_the_field(
    world: Any, tickets: Any
) -> None:
    lead = signed_in(world, "lead1")
    lead.post(
        f"/console/tickets/{tickets['new'].pk}/same-problem", {"earlier": tickets["sales"].pk}
    )
    found = Recurrence.objects.get()
    response = lead.post(
        f"/console/recurrences/{found.pk}/disposition",
        {"kind": "kb_article", "link": "kb.example/ventas", "reason": "FAQ de ventas"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "FAQ de ventas" in html
    assert "kb.example/ventas" in html
    assert "errorlist" in html
    assert Recurrence.objects.get().is_open
    done = lead.post(
        f"/console/recurrences/{found.pk}/disposition",
        {"kind": "kb_article", "link": "https://kb.example/ventas"},
    )
    assert done.status_code == 302
    assert not Recurrence.objects.get().is_open
    assert f'data-recurrence="{found.pk}"' not in lead.get("/console/recurrences").content.decode()


def test_customers_are_turned_away(world: Any, tickets: Any) -> None:
    client = Client()
    client.force_login(world.contacts["starter"].user)
    assert client.get("/console/recurrences").status_code == 403
    response = client.post(
        f"/console/tickets/{tickets['new'].pk}/same-problem", {"earlier": tickets["sales"].pk}
    )
    assert response.status_code == 403
    assert not Recurrence.objects.exists()


def test_a_refused_link_says_why_in_the_console(world: Any, tickets: Any) -> None:
    client = signed_in(world, "t2")
    client.cookies["soporte_language"] = "en"
    new, sales = tickets["new"], tickets["sales"]

    def said(ticket: Any, earlier: Any) -> list[str]:
        response = client.post(
            f"/console/tickets/{ticket.pk}/same-problem", {"earlier": earlier.pk}, follow=True
        )
        return [str(m) for m in response.context["messages"]]

    assert said(sales, new) == [
        f"#{new.pk} was opened after #{sales.pk}: link to an earlier ticket."
    ]
    assert said(new, sales)[0].startswith(f"#{new.pk} and #{sales.pk} are linked as the same")
    assert said(new, sales) == [f"#{new.pk} and #{sales.pk} are already linked."]
