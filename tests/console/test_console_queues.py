"""The console's queues: who may open which, order by due time, colours, filters, live refresh."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from console_helpers import client_for, htmx, open_ticket
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soporte.tickets import services

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=30)
"""Any business-hours target is long breached after 30 days."""


def row_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-ticket="(\d+)"', html)]


def row_of(html: str, ticket_id: int) -> str:
    match = re.search(rf'<tr class="([^"]*)" data-ticket="{ticket_id}">(.*?)</tr>', html, re.S)
    assert match, f"ticket #{ticket_id} is not in the table"
    return match.group(1) + " " + match.group(2)


# --------------------------------------------------------------------------- access


def test_anonymous_is_sent_to_sign_in_with_next(world):  # type: ignore[no-untyped-def]
    for url in ("/console/", "/console/queue/T1", "/console/all", "/console/notifications"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
        assert response["Location"] == f"/login/?next={url}"


def test_anonymous_htmx_poll_is_told_to_reload_the_sign_in(world):  # type: ignore[no-untyped-def]
    response = htmx(Client(), "/console/queue/T1")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/?next=")


def test_a_contact_may_not_use_the_console(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, now=timezone.now())
    client = Client()
    client.force_login(world.contacts["pro"].user)
    for url in ("/console/", "/console/queue/T1", f"/console/tickets/{ticket.pk}"):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            f"/console/tickets/{ticket.pk}/reply", {"body": "hi", "kind": "public"}
        ).status_code
        == 403
    )


def test_home_sends_agents_to_their_tier_and_leads_to_every_queue(world):  # type: ignore[no-untyped-def]
    assert client_for(world, "t1").get("/console/")["Location"] == "/console/queue/T1"
    assert client_for(world, "t2").get("/console/")["Location"] == "/console/queue/T2"
    assert client_for(world, "lead1").get("/console/")["Location"] == "/console/all"
    assert client_for(world, "admin").get("/console/")["Location"] == "/console/all"


def test_t1_agent_cannot_open_the_t2_queue_nor_all_queues_nor_work_a_t2_ticket(world):  # type: ignore[no-untyped-def]
    t2_ticket = open_ticket(world, subject="Wrong totals", now=timezone.now())
    services.escalate(
        ticket=t2_ticket, actor=world.agents["t1"], reason="needs logs", at=timezone.now()
    )
    t1 = client_for(world, "t1")
    assert t1.get("/console/queue/T1").status_code == 200
    assert t1.get("/console/queue/T2").status_code == 403
    assert t1.get("/console/queue/T3").status_code == 403
    assert t1.get("/console/all").status_code == 403
    assert t1.get("/console/queue/T9").status_code == 404
    assert t1.get(f"/console/tickets/{t2_ticket.pk}").status_code == 200  # read-only
    assert t1.get(f"/console/tickets/{t2_ticket.pk}/sla").status_code == 200
    response = t1.post(f"/console/tickets/{t2_ticket.pk}/reply", {"body": "x", "kind": "public"})
    assert response.status_code == 403
    # T2 sees its queue and the one below; not T3's
    t2 = client_for(world, "t2")
    assert t2.get("/console/queue/T2").status_code == 200
    assert t2.get("/console/queue/T1").status_code == 200
    assert t2.get("/console/queue/T3").status_code == 403
    assert t2.get(f"/console/tickets/{t2_ticket.pk}").status_code == 200


def test_a_lead_sees_every_queue_and_every_ticket(world):  # type: ignore[no-untyped-def]
    t1_ticket = open_ticket(world, subject="Password reset", now=timezone.now())
    t3_ticket = open_ticket(
        world,
        plan="enterprise",
        channel="phone",
        severity="P0",
        subject="Everything down",
        now=timezone.now(),
    )
    assert t3_ticket.tier == "T3"
    lead = client_for(world, "lead1")
    for tier in ("T1", "T2", "T3"):
        assert lead.get(f"/console/queue/{tier}").status_code == 200
    page = lead.get("/console/all").content.decode()
    assert set(row_ids(page)) == {t1_ticket.pk, t3_ticket.pk}
    assert lead.get(f"/console/tickets/{t3_ticket.pk}").status_code == 200
    assert "Todas las colas" in page  # Spanish is the default language


# --------------------------------------------------------------------------- order and colours


def test_queue_is_sorted_by_earliest_due_with_countdowns_and_colours(world):  # type: ignore[no-untyped-def]
    fresh = open_ticket(
        world, plan="starter", severity="P3", subject="Logo blurry", now=timezone.now()
    )
    breached = open_ticket(
        world, plan="pro", severity="P1", subject="Sales missing", ago=LONG_AGO, now=timezone.now()
    )
    at_risk = open_ticket(
        world,
        plan="enterprise",
        severity="P0",
        subject="Machines offline",
        ago=timedelta(minutes=13),
        now=timezone.now(),
    )  # 15 min 24/7: 13 of 15 used
    response = client_for(world, "t1").get("/console/queue/T1", {"lang": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert row_ids(html) == [breached.pk, at_risk.pk, fresh.pk]

    breached_row = row_of(html, breached.pk)
    assert "row-breached" in breached_row
    assert "clock-breached" in breached_row
    assert re.search(r"\d+ (d|h|min)[^<]* over", breached_row)

    risky_row = row_of(html, at_risk.pk)
    assert "row-at-risk" in risky_row
    assert "clock-at-risk" in risky_row
    assert re.search(r"[12] min left", risky_row)

    fresh_row = row_of(html, fresh.pk)
    assert "clock-on-track" in fresh_row
    assert "row-" not in fresh_row.split(" ")[0]
    assert " left" in fresh_row
    for text in ("Starter", "Pro", "Enterprise", "P3", "Email", "0/7", "Logo blurry"):
        assert text in html, text


def test_all_queues_puts_breached_and_at_risk_first_across_tiers(world):  # type: ignore[no-untyped-def]
    calm = open_ticket(world, plan="starter", severity="P3", subject="Typo", now=timezone.now())
    late_t2 = open_ticket(
        world, plan="pro", severity="P2", subject="Totals", ago=LONG_AGO, now=timezone.now()
    )
    services.escalate(
        ticket=late_t2, actor=world.agents["t1"], reason="needs logs", at=timezone.now()
    )
    risky = open_ticket(
        world,
        plan="enterprise",
        severity="P0",
        subject="Down",
        ago=timedelta(minutes=13),
        now=timezone.now(),
    )
    html = client_for(world, "lead2").get("/console/all").content.decode()
    assert row_ids(html) == [late_t2.pk, risky.pk, calm.pk]
    assert "row-breached" in row_of(html, late_t2.pk)
    assert "row-at-risk" in row_of(html, risky.pk)


def test_a_fulfilled_clock_shows_as_such(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, plan="starter", severity="P3", now=timezone.now())
    services.reply(
        ticket=ticket, author=world.agents["t1"], body="Hola, lo revisamos.", at=timezone.now()
    )
    html = client_for(world, "t1").get("/console/queue/T1?lang=en").content.decode()
    row = row_of(html, ticket.pk)
    assert "fulfilled, target met" in row
    assert "clock-met" in row


def test_filters_narrow_the_queue(world):  # type: ignore[no-untyped-def]
    late = open_ticket(world, plan="pro", severity="P1", ago=LONG_AGO, now=timezone.now())
    starter = open_ticket(world, plan="starter", severity="P3", now=timezone.now())
    chat = open_ticket(world, plan="enterprise", severity="P2", channel="chat", now=timezone.now())
    t1 = client_for(world, "t1")

    def ids(**params):  # type: ignore[no-untyped-def]
        return row_ids(t1.get("/console/queue/T1", params).content.decode())

    assert ids(plan="starter") == [starter.pk]
    assert ids(severity="P1") == [late.pk]
    assert ids(channel="chat") == [chat.pk]
    assert ids(clock="breached") == [late.pk]
    assert late.pk in ids(clock="at_risk")
    assert starter.pk not in ids(clock="at_risk")
    assert ids(status="solved") == []
    assert sorted(ids(plan="nonsense")) == sorted([late.pk, starter.pk, chat.pk])  # ignored
    services.change_status(
        ticket=starter, status="solved", actor=world.agents["t1"], at=timezone.now()
    )
    assert starter.pk not in ids()
    assert ids(status="solved") == [starter.pk]


def test_mine_lists_only_my_tickets(world):  # type: ignore[no-untyped-def]
    mine = open_ticket(world, now=timezone.now())
    open_ticket(world, now=timezone.now())
    services.assign(
        ticket=mine, assignee=world.agents["t1"], actor=world.agents["t1"], at=timezone.now()
    )
    assert row_ids(client_for(world, "t1").get("/console/mine").content.decode()) == [mine.pk]
    assert row_ids(client_for(world, "t2").get("/console/mine").content.decode()) == []


# --------------------------------------------------------------------------- live refresh


def test_the_htmx_partial_is_only_the_table_body_and_polls_itself(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, ago=LONG_AGO, now=timezone.now())
    client = client_for(world, "t1")
    page = client.get("/console/queue/T1?severity=P2").content.decode()
    assert 'hx-trigger="every 15s"' in page
    assert 'hx-get="/console/queue/T1?severity=P2"' in page
    partial = htmx(client, "/console/queue/T1?severity=P2")
    assert partial.status_code == 200
    assert "HX-Request" in partial["Vary"]
    body = partial.content.decode().strip()
    assert body.startswith('<tbody id="queue-rows"')
    assert body.endswith("</tbody>")
    assert "<html" not in body
    assert "<thead" not in body
    assert 'hx-trigger="every 15s"' in body
    assert row_ids(body) == [ticket.pk]
    assert "row-breached" in body


def test_a_ticket_turns_red_when_its_clock_passes_the_breach(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(
        world, plan="enterprise", severity="P0", ago=timedelta(minutes=5), now=timezone.now()
    )
    client = client_for(world, "t1")
    assert "clock-on-track" in row_of(htmx(client, "/console/queue/T1").content.decode(), ticket.pk)
    # 15 min later in wall-clock terms: move the ticket's start back instead of waiting
    from soporte.sla.models import Clock

    Clock.objects.filter(ticket=ticket).update(
        started_at=ticket.opened_at - timedelta(minutes=15),
        due_at=ticket.opened_at,
    )
    row = row_of(htmx(client, "/console/queue/T1").content.decode(), ticket.pk)
    assert "row-breached" in row
    assert "clock-breached" in row


# --------------------------------------------------------------------------- scale


def test_queue_page_query_count_stays_flat_with_fifty_rows(world, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    open_ticket(world, plan="starter", severity="P3", now=timezone.now())
    client = client_for(world, "lead1")
    with CaptureQueriesContext(connection) as one_row:
        assert client.get("/console/all").status_code == 200
    for n in range(60):
        open_ticket(
            world,
            plan=("starter", "pro", "enterprise")[n % 3],
            severity="P2",
            channel=("email", "chat", "whatsapp")[n % 3],
            ago=timedelta(hours=n),
            now=timezone.now(),
        )
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        html = client.get("/console/all").content.decode()
    assert len(row_ids(html)) == 50
    assert "?page=2" in html
    assert not any(
        "COUNT(" in q["sql"].upper() and "tickets_ticket" in q["sql"]
        for q in one_row.captured_queries
    )
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        partial = htmx(client, "/console/all").content.decode()
    assert len(row_ids(partial)) == 50
    second = client.get("/console/all?page=2").content.decode()
    assert len(row_ids(second)) == 11
    assert not set(row_ids(second)) & set(row_ids(html))
