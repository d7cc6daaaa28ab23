"""The post-mortem pages through real HTTP: every agent reads, T3/leads/founder/CTO/admins
write, customers get 403 (the console is agents only), anonymous users the sign-in; the
timeline in the document's language; action items added, marked and removed; the list and
the ticket page's badge."""

from __future__ import annotations

import sys
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from console_helpers import client_for
from django.test import Client

from soporte.feedback.models import ActionItem, PostMortem
from soporte.tickets import services as tickets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "feedback"))
from postmortem_helpers import MINUTE, OPENED, open_ticket, rotation

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(world: Any) -> Any:
    rotation(world)
    ticket = open_ticket(world)
    tickets.change_status(
        ticket=ticket, status="solved", actor=world.agents["t3"], at=OPENED + 50 * MINUTE
    )
    return ticket


def url(ticket: Any, tail: str = "") -> str:
    return f"/console/tickets/{ticket.pk}/postmortem{tail}"


TEXT = {
    "language": "en",
    "impact": "No machine reported sales for 50 minutes.",
    "cause": "An RLS migration dropped a grant.",
    "went_well": "Acknowledged in 4 minutes.",
}


@pytest.mark.parametrize("name", ["t1", "t2", "t3", "lead1", "admin"])
def test_every_agent_reads_it(world, incident, name):  # type: ignore[no-untyped-def]
    response = client_for(world, name).get(url(incident))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'id="postmortem-timeline"' in html
    assert "Ticket creado por Correo electrónico" in html  # the document's language: Spanish
    assert ('name="impact"' in html) == (name in ("t3", "lead1", "admin"))


@pytest.mark.parametrize("name", ["t1", "t2"])
def test_only_t3_and_the_leads_write_it(world, incident, name):  # type: ignore[no-untyped-def]
    client = client_for(world, name)
    item = {"text": "x", "fix_url": "https://github.com/trackmyvend/app/pull/1"}
    assert client.post(url(incident), TEXT).status_code == 403
    assert client.post(url(incident, "/items"), item).status_code == 403
    assert PostMortem.objects.get(ticket=incident).status == "requested"
    assert not ActionItem.objects.exists()


def test_customers_and_anonymous_users_cannot_reach_it(world, incident):  # type: ignore[no-untyped-def]
    customer = Client()
    customer.force_login(world.contacts["enterprise"].user)
    for path in (url(incident), "/console/postmortems"):
        assert customer.get(path).status_code == 403
        assert Client().get(path)["Location"].startswith("/login/")
    assert customer.post(url(incident), TEXT).status_code == 403


def test_a_ticket_without_one_or_unknown_is_404(world, incident):  # type: ignore[no-untyped-def]
    other = open_ticket(world, severity="P2")
    client = client_for(world, "t3")
    assert client.get(url(other)).status_code == 404
    assert client.get("/console/tickets/999999/postmortem").status_code == 404


def test_t3_writes_publishes_and_the_timeline_follows_the_language(world, incident):  # type: ignore[no-untyped-def]
    client = client_for(world, "t3")
    assert client.post(url(incident), {**TEXT, "cause": ""}).status_code == 302
    refused = client.post(url(incident), {**TEXT, "cause": "", "publish": "1"})
    assert refused.status_code == 400
    assert 'class="errorlist' in refused.content.decode()  # beside the cause field
    assert PostMortem.objects.get(ticket=incident).status == "draft"

    done = client.post(url(incident), {**TEXT, "publish": "1"})
    assert done.status_code == 302
    written = PostMortem.objects.get(ticket=incident)
    assert (written.status, written.language, written.author) == (
        "written",
        "en",
        world.agents["t3"],
    )
    html = unescape(client.get(url(incident)).content.decode())
    timeline = html.split('id="postmortem-timeline"')[1].split("</ol>")[0]
    assert "Ticket created via Email" in timeline  # the document's language: English
    assert "Ticket creado" not in timeline
    assert "Page acknowledged" not in timeline  # nobody acknowledged this one
    clocks = html.split('id="postmortem-clocks"')[1].split("</dl>")[0]
    assert clocks.count("<dt>") == 1  # an email ticket: the SLA's clock only


def test_bad_language_names_the_field(world, incident):  # type: ignore[no-untyped-def]
    response = client_for(world, "lead3").post(url(incident), {**TEXT, "language": "fr"})
    assert response.status_code == 400
    assert PostMortem.objects.get(ticket=incident).language == "es"


def test_action_items_added_marked_and_removed(world, incident):  # type: ignore[no-untyped-def]
    client = client_for(world, "lead3")
    bad = client.post(url(incident, "/items"), {"text": "Test the grant", "fix_url": "not a url"})
    assert bad.status_code == 400
    assert not ActionItem.objects.exists()
    fix = "https://github.com/trackmyvend/app/pull/812"
    added = client.post(
        url(incident, "/items"),
        {"text": "Test the grant in CI", "fix_url": fix, "owner": world.agents["t3"].pk},
    )
    assert added.status_code == 302
    item = ActionItem.objects.get()
    assert (item.fix_url, item.owner) == (fix, world.agents["t3"])
    assert fix in client.get(url(incident)).content.decode()
    assert client.post(url(incident, f"/items/{item.pk}/done"), {"done": "1"}).status_code == 302
    assert ActionItem.objects.get().done
    assert client.post(url(incident, f"/items/{item.pk}/remove")).status_code == 302
    assert client.post(url(incident, f"/items/{item.pk}/remove")).status_code == 404
    assert not ActionItem.objects.exists()


def test_the_list_and_the_ticket_badge(world, incident):  # type: ignore[no-untyped-def]
    pending = open_ticket(world, at=OPENED + timedelta(hours=1))
    client = client_for(world, "t1")
    html = client.get("/console/postmortems").content.decode()
    to_write = html.split('id="postmortems-pending"')[1].split("</table>")[0]
    assert f'data-ticket="{incident.pk}"' in to_write
    assert f'data-ticket="{pending.pk}"' in to_write
    rows = {
        int(part.split('"')[0]): part.split('class="')[1].split('"')[0]
        for part in to_write.split('data-ticket="')[1:]
    }
    assert rows[pending.pk] == "postmortem-awaiting_resolution"
    assert rows[incident.pk] in ("postmortem-due", "postmortem-overdue")  # by the real clock
    ticket_page = client.get(f"/console/tickets/{incident.pk}").content.decode()
    assert 'id="postmortem-link"' in ticket_page
    assert (
        'id="postmortem-link"'
        not in client.get(
            f"/console/tickets/{open_ticket(world, severity='P3').pk}"
        ).content.decode()
    )
