"""A clock due on a close says so where people read it: the console's queue and ticket page, the
portal and the API's explanation show "due when support opens, Mon 09:00" all weekend, never
"0 min left" (READING.md §1: due on a close, breached only once business time runs again)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from soporte.accounts.services import create_token
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake

pytestmark = pytest.mark.django_db

CDMX = ZoneInfo("America/Mexico_City")
FRIDAY = datetime(2026, 12, 4, 14, 0, tzinfo=CDMX)
"""A Pro P1 (4 bh) received then is due Friday 18:00, a close."""
SATURDAY = datetime(2026, 12, 5, 12, 0, tzinfo=CDMX)


@pytest.fixture
def ticket(world: Any) -> Any:
    return services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P1",
        subject="Dashboard shows $0",
        body="Sales today show $0.",
        intake=Intake(),
        received_at=FRIDAY,
        now=FRIDAY,
    )


def signed_in(user: Any) -> Client:
    """A client signed in on the Saturday (a session from the real clock may be years off)."""
    client = Client()
    with time_machine.travel(SATURDAY, tick=False):
        client.force_login(user)
    return client


def page(client: Client, url: str, lang: str) -> str:
    client.cookies["soporte_language"] = lang
    with time_machine.travel(SATURDAY, tick=False):
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.content.decode()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es-mx", "vence al abrir el soporte, lun 09:00"),
        ("en", "due when support opens, Mon 09:00"),
    ],
)
def test_the_console_queue_and_ticket_page_say_due_at_the_opening(  # type: ignore[no-untyped-def]
    world, ticket, lang, words
) -> None:
    client = signed_in(world.agents["t1"].user)
    queue = page(client, "/console/queue/T1", lang)
    row = queue[queue.index(f'data-ticket="{ticket.pk}"') :]
    assert words in row[: row.index("</tr>")]
    ticket_page = page(client, f"/console/tickets/{ticket.pk}", lang)
    assert words in ticket_page
    assert "0 min" not in ticket_page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es-mx", "Vence al abrir el soporte, lun 09:00"),
        ("en", "Due when support opens, Mon 09:00"),
    ],
)
def test_the_portal_says_due_at_the_opening(world, ticket, lang, words) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.contacts["pro"].user)
    assert words in page(client, "/portal/", lang)
    assert words in page(client, f"/portal/tickets/{ticket.pk}", lang)


def test_the_api_explanation_says_due_at_the_opening(world, ticket) -> None:  # type: ignore[no-untyped-def]
    token = create_token(agent=world.agents["t1"], name="test")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with time_machine.travel(SATURDAY, tick=False):
        english = client.get(f"/api/tickets/{ticket.pk}/sla?lang=en").json()
        spanish = client.get(f"/api/tickets/{ticket.pk}/sla?lang=es").json()
    assert english["clocks"][0]["explanation"][-1] == (
        "At Sat 5 Dec 2026, 12:00 CST: support is closed and the target's time is used up; "
        "due when support opens, Mon 7 Dec 2026, 09:00 CST."
    )
    assert spanish["clocks"][0]["explanation"][-1] == (
        "Al sáb 5 dic 2026, 12:00 CST: el soporte está cerrado y el tiempo del objetivo se "
        "agotó; vence al abrir el soporte, lun 7 dic 2026, 09:00 CST."
    )
