"""Who may acknowledge a page (READING §9): the people it went to, the rotation's members,
leads, the founder, the CTO and admins; anyone else gets 403 in the console, on the signed
link and in the API, and the page stays unacknowledged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from escalation_helpers import OPENED, open_p0_page

from soporte.escalation import services
from soporte.escalation.models import Page
from soporte.escalation.selectors import may_acknowledge


@pytest.fixture
def page(world: Any) -> Page:
    return open_p0_page(world, ["t3", "lead3"])


def _client(world: Any, who: str) -> Client:
    client = Client()
    client.force_login(world.agents[who].user)
    return client


def _acknowledged(page: Page) -> bool:
    page.refresh_from_db()
    return page.acknowledged_at is not None


def test_a_t1_agent_who_can_see_the_p0_may_not_acknowledge_it(world: Any, page: Page) -> None:
    t1 = _client(world, "t1")
    shown = t1.get(f"/console/tickets/{page.ticket_id}?lang=en")
    assert shown.status_code == 200  # sees it
    assert "Acknowledge the page" not in shown.content.decode()
    assert t1.post(f"/console/tickets/{page.ticket_id}/page/acknowledge").status_code == 403
    api = t1.post(f"/api/tickets/{page.ticket_id}/page/acknowledge")
    assert api.status_code == 403
    assert "may not acknowledge" in api.json()["detail"]
    link = f"/pages/acknowledge/{services.ack_token(page, world.agents['t1'])}/"
    assert t1.post(link).status_code == 403
    assert not _acknowledged(page)


def test_t2_outside_the_rotation_may_not_either(world: Any, page: Page) -> None:
    answer = _client(world, "t2").post(f"/api/tickets/{page.ticket_id}/page/acknowledge")
    assert answer.status_code == 403
    assert not _acknowledged(page)


@pytest.mark.parametrize("who", ["t3", "lead3", "lead1", "admin"])
def test_members_leads_and_admins_may(world: Any, page: Page, who: str) -> None:
    answer = _client(world, who).post(f"/api/tickets/{page.ticket_id}/page/acknowledge")
    assert answer.status_code == 200
    assert _acknowledged(page)


def test_the_person_paged_may_by_the_link(world: Any, page: Page) -> None:
    link = f"/pages/acknowledge/{services.ack_token(page, world.agents['t3'])}/"
    assert Client().post(link).status_code == 200
    assert _acknowledged(page)


def test_someone_the_page_went_to_outside_the_rotation_may(world: Any, page: Page) -> None:
    from soporte.escalation.models import PageNotification

    PageNotification.objects.create(
        page=page, step=1, target="secondary", agent=world.agents["t2"], created_at=OPENED
    )
    assert may_acknowledge(page, world.agents["t2"])
    assert not may_acknowledge(page, world.agents["t1"])
