"""The weekly review's console pages: who may open them, the items, the htmx disposition form,
its errors, and closing the week. Surveys are answered in last week (relative to the real
clock, which the pages read), so the week has ended."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from console_helpers import client_for
from django.test import Client
from django.utils import timezone

from feedback.review_factory import executives, survey
from soporte.feedback.domain.weeks import Week, week_of
from soporte.feedback.models import ReviewDisposition, ReviewWeek

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("America/Mexico_City")


def last_week() -> tuple[Week, datetime]:
    """Last week and its Wednesday noon (Mexico City)."""
    week = week_of(timezone.now(), "America/Mexico_City").shifted(-1)
    return week, datetime.combine(week.monday + timedelta(days=2), time(12), tzinfo=TZ)


@pytest.fixture
def item(world: Any) -> Any:
    _week, wednesday = last_week()
    return survey(
        world,
        answer="neutral",
        comment="Tardaron en contestar",
        opened=wednesday - timedelta(hours=3),
        answered_at=wednesday,
        escalate=1,
    )


def english(world: Any, name: str) -> Client:
    """A signed-in client reading the pages in English (the messages checked below)."""
    client = client_for(world, name)
    client.cookies["soporte_language"] = "en"
    return client


def page(week: Week) -> str:
    return f"/console/review/{week}"


def test_reviewers_open_the_weeks_and_the_week(world: Any, item: Any) -> None:
    week, _ = last_week()
    for name, who in executives(world).items():
        client = Client()
        client.force_login(who.user)
        listing = client.get("/console/review/")
        assert listing.status_code == 200, name
        assert f'data-week="{week}"' in listing.text
        shown = client.get(page(week))
        assert shown.status_code == 200, name
        assert "Tardaron en contestar" in shown.text
        assert "T1 → T2" in shown.text
        assert f"#{item.ticket_id}" in shown.text
        assert "😐" in shown.text


def test_plain_agents_customers_and_strangers_are_turned_away(world: Any, item: Any) -> None:
    week, _ = last_week()
    for url in ("/console/review/", page(week)):
        assert client_for(world, "t3").get(url).status_code == 403
        contact = Client()
        contact.force_login(world.contacts["pro"].user)
        assert contact.get(url).status_code == 403
        assert Client().get(url).status_code == 302  # to the sign-in
    post = client_for(world, "t1").post(
        f"{page(week)}/items/{item.pk}", {"kind": "no_action", "reason": "x"}
    )
    assert post.status_code == 403
    assert client_for(world, "t1").post(f"{page(week)}/close").status_code == 403
    assert not ReviewDisposition.objects.exists()
    assert not ReviewWeek.objects.exists()


def test_a_week_label_that_is_no_week_is_not_found(world: Any) -> None:
    lead = client_for(world, "lead1")
    assert lead.get("/console/review/2026-W54").status_code == 404
    assert lead.get("/console/review/last-week").status_code == 404


def test_the_htmx_form_sets_a_disposition_and_enables_closing(world: Any, item: Any) -> None:
    week, _ = last_week()
    lead = english(world, "lead1")
    before = lead.get(page(week)).text
    assert 'name="close" disabled' in before
    bad = lead.post(
        f"{page(week)}/items/{item.pk}",
        {"kind": "kb_article", "link": ""},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 400
    assert "needs its link" in bad.text
    assert 'value="kb_article" selected' in bad.text  # what was typed stays
    good = lead.post(
        f"{page(week)}/items/{item.pk}",
        {"kind": "kb_article", "link": "https://trackmyvend.com/Manuales.html#ventas"},
        headers={"HX-Request": "true"},
    )
    assert good.status_code == 200
    assert 'data-kind="kb_article"' in good.text
    assert 'hx-swap-oob="true"' in good.text
    assert 'name="close" disabled' not in good.text
    assert ReviewDisposition.objects.get(survey=item).link.endswith("#ventas")


def test_closing_refuses_with_a_clear_error_then_closes(world: Any, item: Any) -> None:
    week, _ = last_week()
    lead = english(world, "lead1")
    refused = lead.post(f"{page(week)}/close")
    assert refused.status_code == 400
    assert "1 left" in refused.text
    saved = lead.post(f"{page(week)}/items/{item.pk}", {"kind": "no_action", "reason": ""})
    assert saved.status_code == 400
    assert "Say why no action is needed." in saved.text
    lead.post(f"{page(week)}/items/{item.pk}", {"kind": "no_action", "reason": "duplicado"})
    closed = lead.post(f"{page(week)}/close", follow=True)
    assert closed.status_code == 200
    assert f"Week {week} is closed." in closed.text
    assert ReviewWeek.objects.get(week=str(week)).closed_by == world.agents["lead1"]
    assert 'class="disposition-form"' not in closed.text  # read-only once closed
    listing = lead.get("/console/review/").text
    assert f'data-week="{week}" data-state="closed"' in listing


def test_the_current_week_cannot_close_yet(world: Any) -> None:
    current = week_of(timezone.now(), "America/Mexico_City")
    lead = english(world, "lead1")
    assert "The week has not ended yet" in lead.get(page(current)).text
    assert lead.post(f"{page(current)}/close").status_code == 400


def test_the_week_lists_open_recurrences_linked_by_its_end_and_post_mortems_to_write(
    world: Any,
) -> None:
    from feedback.postmortem_helpers import open_ticket as open_p0
    from feedback.recurrence_helpers import START, open_at
    from soporte.feedback.recurrences import link_recurrence

    week = week_of(START, "America/Mexico_City")
    first = open_at(world, "No aparecen mis ventas", days=0)
    second = open_at(world, "no me llegan las ventas", days=1)
    link_recurrence(
        ticket=second, earlier=first, actor=world.agents["t1"], at=START + timedelta(days=1)
    )
    third = open_at(world, "La terminal no cobra", days=8)
    fourth = open_at(world, "la terminal no cobra con tarjeta", days=9)
    link_recurrence(
        ticket=fourth, earlier=third, actor=world.agents["t1"], at=START + timedelta(days=9)
    )
    p0 = open_p0(world)  # a P0 asks T3 for a post-mortem
    shown = english(world, "lead1").get(page(week))
    assert shown.status_code == 200
    recurrences = shown.text.split('id="review-recurrences"')[1].split("</section>")[0]
    assert f"#{first.pk}" in recurrences
    assert f"#{second.pk}" in recurrences
    assert f"#{third.pk}" not in recurrences  # linked after the week ended
    postmortems = shown.text.split('id="review-postmortems"')[1].split("</section>")[0]
    assert f'data-ticket="{p0.pk}"' in postmortems
