"""The ticket page and its actions, driven through HTTP as an agent would."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from console_helpers import client_for, htmx, open_ticket
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from soporte.notify import services as notify
from soporte.notify.models import Notification
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, Message, MessageKind, Ticket

pytestmark = pytest.mark.django_db

MEXICO = ZoneInfo("America/Mexico_City")


def friday_1740_weeks_ago(weeks: int = 3) -> datetime:
    """A Friday at 17:40 in Mexico City, a few weeks before the real now."""
    day = (timezone.now() - timedelta(weeks=weeks)).astimezone(MEXICO).date()
    day -= timedelta(days=(day.weekday() - 4) % 7)
    return datetime.combine(day, time(17, 40), tzinfo=MEXICO)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def page(client: Client, ticket: Ticket, lang: str = "en") -> str:
    response = client.get(f"/console/tickets/{ticket.pk}", {"lang": lang})
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_ticket_page_shows_header_explanation_checklist_and_conversation(world):  # type: ignore[no-untyped-def]
    intake = Intake(
        organisation_id="d97d3a62-9278-4ae5-88c1-a3fdc88321bf",
        url="https://app.trackmyvend.com/x",
        browser_os="Chrome 123 on Mac",
        still_happening="yes",
    )
    screenshot = SimpleUploadedFile("ventas.png", PNG, content_type="image/png")
    ticket = open_ticket(
        world,
        plan="pro",
        severity="P1",
        intake=intake,
        uploads=[screenshot],
        subject="Ventas totales hoy en $0",
        now=timezone.now(),
    )
    html = page(client_for(world, "t1"), ticket)
    text = text_of(html)
    org = world.orgs["pro"]
    for expected in (
        "Ventas totales hoy en $0",
        "Pro Vending",
        str(org.pk),
        "ana@pro.example",
        "Ana pro",
        "P1",
        "Email",
        "T1",
        "Unassigned",
    ):
        assert expected in text, expected
    # the SLA panel with the explanation sentences
    assert "First response" in text
    assert "Clock started" in text
    assert "Target: 4 business hours" in text
    assert "Due " in text
    assert "4 bh" not in text  # the policy shorthand, never shown
    # the checklist: five of seven given (screenshot counts), values shown
    assert "Intake checklist (5/7)" in text
    assert re.search(
        r'<li class="ok"><strong>Organisation ID</strong>: <span class="value">'
        r"d97d3a62",
        html,
    )
    assert re.search(
        r'<li class="ok"><strong>Screenshot or recording</strong>: '
        r'<span class="value">ventas.png',
        html,
    )
    assert re.search(r'<li class="missing"><strong>Expected vs what happened</strong>', html)
    assert re.search(r'<li class="missing"><strong>When it started', html)
    # conversation: the customer's message and the system acknowledgement; the attachment link
    assert "Ventas totales hoy shows $0." in text
    assert 'class="message system"' in html
    attachment = ticket.attachments.get()
    assert f'href="/attachments/{attachment.pk}"' in html
    # timeline in words
    assert "Ticket created via Email: P1 at T1, intake 5/7" in text
    assert "First response clock started: target 4 business hours, due" in text


def test_explanation_names_the_weekend_in_spanish_by_default(world):  # type: ignore[no-untyped-def]
    ticket = services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P2",
        subject="Mapa en blanco",
        body="...",
        intake=Intake(),
        received_at=friday_1740_weeks_ago(),
        now=timezone.now(),
    )
    client = client_for(world, "t1")
    text = text_of(client.get(f"/console/tickets/{ticket.pk}").content.decode())
    assert "Vence el" in text  # es-MX by default: the explanation is in Spanish
    english = text_of(page(client, ticket))
    assert "Skipped" in english
    assert "Fri " in english
    assert "17:40" in english
    assert "breached" in english  # Pro P2 (1 bd) from that Friday 17:40 is long overdue now


def test_public_reply_fulfils_the_first_response_clock(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, plan="starter", severity="P2", now=timezone.now())
    client = client_for(world, "t1")
    response = client.post(
        f"/console/tickets/{ticket.pk}/reply",
        {"body": "Hola Ana, ya lo estamos revisando.", "kind": "public"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/console/tickets/{ticket.pk}"
    ticket.refresh_from_db()
    assert ticket.first_replied_at is not None
    assert ticket.status == "pending"
    html = page(client, ticket)
    text = text_of(html)
    assert "Respuesta enviada." in text  # said in the language the reply was sent in
    assert "fulfilled, target met" in text
    assert 'class="badge clock-met">Met' in html
    assert "First response clock fulfilled after" in text
    sla = htmx(client, f"/console/tickets/{ticket.pk}/sla?lang=en").content.decode()
    assert sla.strip().startswith('<section id="sla-panel"')
    assert "clock-met" in sla


def test_note_is_internal_and_leaves_the_clock_running(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, now=timezone.now())
    client = client_for(world, "t1")
    response = client.post(
        f"/console/tickets/{ticket.pk}/reply",
        {
            "body": "Customer is on the old firmware.",
            "kind": "internal",
            "files": SimpleUploadedFile("logs.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    note = Message.objects.get(ticket=ticket, body__contains="old firmware")
    assert note.kind == MessageKind.INTERNAL
    assert note.attachments.get().filename == "logs.png"
    ticket.refresh_from_db()
    assert ticket.first_replied_at is None
    html = page(client, ticket)
    assert re.search(r'class="message internal"[^>]*>.*?Internal note.*?old firmware', html, re.S)
    assert "clock-on-track" in html


def test_an_empty_reply_or_a_bad_upload_is_refused_and_the_text_kept(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, now=timezone.now())
    client = client_for(world, "t1")
    response = client.post(
        f"/console/tickets/{ticket.pk}/reply?lang=en", {"body": "", "kind": "public"}
    )
    assert response.status_code == 400
    assert "Write a message first." in response.content.decode()
    response = client.post(
        f"/console/tickets/{ticket.pk}/reply?lang=en",
        {
            "body": "See attached",
            "kind": "public",
            "files": SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 10),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a screenshot or recording" in html
    assert "See attached" in html
    assert not Message.objects.filter(ticket=ticket, body__contains="See attached").exists()


def test_severity_change_recomputes_the_clock_in_the_timeline(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, plan="pro", severity="P1", now=timezone.now())
    client = client_for(world, "t1")
    response = client.post(
        f"/console/tickets/{ticket.pk}/severity",
        {"severity": "P2", "reason": "only the map is affected"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.severity == "P2"
    text = text_of(page(client, ticket))
    assert "Severity changed P1 → P2. Reason: only the map is affected" in text
    assert re.search(
        r"First response clock recomputed: target 1 business day, due .+ → .+\. "
        r"Reason: severity P1 → P2",
        text,
    )
    # a reason is required
    response = client.post(f"/console/tickets/{ticket.pk}/severity", {"severity": "P3"})
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.severity == "P2"


def test_status_and_assignment(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, now=timezone.now())
    client = client_for(world, "t1")
    me = world.agents["t1"]
    assert (
        client.post(f"/console/tickets/{ticket.pk}/assign", {"assignee": me.pk}).status_code == 302
    )
    ticket.refresh_from_db()
    assert ticket.assignee == me
    other = world.agents["lead1"]
    client.post(f"/console/tickets/{ticket.pk}/assign", {"assignee": other.pk})
    client.post(f"/console/tickets/{ticket.pk}/status", {"status": "solved"})
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (other, "solved")
    text = text_of(page(client, ticket))
    assert "Assigned to T1" in text
    assert "Assigned to LEAD1" in text
    assert "Status changed New → Solved" in text
    assert (
        client.post(f"/console/tickets/{ticket.pk}/status", {"status": "bogus"}).status_code == 400
    )
    client.post(f"/console/tickets/{ticket.pk}/assign", {"assignee": ""})
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_escalation_with_a_reason_moves_the_ticket_to_t2(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, subject="Machine online, no sales", now=timezone.now())
    t1 = client_for(world, "t1")
    assert t1.post(f"/console/tickets/{ticket.pk}/escalate", {"reason": ""}).status_code == 400
    response = t1.post(
        f"/console/tickets/{ticket.pk}/escalate", {"reason": "needs Supabase logs"}, follow=True
    )
    assert response.redirect_chain == [(f"/console/tickets/{ticket.pk}", 302)]  # still in reach
    assert f"Ticket #{ticket.pk} escalado a T2." in text_of(response.content.decode())
    ticket.refresh_from_db()
    assert ticket.tier == "T2"
    assert f'data-ticket="{ticket.pk}"' not in t1.get("/console/queue/T1").content.decode()
    t2 = client_for(world, "t2")
    assert f'data-ticket="{ticket.pk}"' in t2.get("/console/queue/T2").content.decode()
    html = page(t2, ticket)
    assert "Escalated T1 → T2. Reason: needs Supabase logs" in text_of(html)
    assert 'name="code_bug"' in html  # at T2: the code-or-infrastructure checkbox


def test_code_bug_escalation_from_t2_pages_on_call_for_a_p1(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, severity="P1", now=timezone.now())
    services.escalate(
        ticket=ticket, actor=world.agents["t1"], reason="needs logs", at=timezone.now()
    )
    t2 = client_for(world, "t2")
    response = t2.post(
        f"/console/tickets/{ticket.pk}/escalate",
        {"reason": "RLS policy regression", "code_bug": "on"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.tier == "T3"
    assert ticket.timeline.filter(kind=EventKind.PAGE_REQUESTED).exists()
    text = text_of(page(client_for(world, "t3"), ticket))
    assert "Escalated T2 → T3 (code or infrastructure bug). Reason: RLS policy regression" in text
    assert "On-call page requested: a code or infrastructure bug reached T3" in text
    assert "Already at the last tier." in text
    # a TicketError is shown, not a crash
    response = client_for(world, "t3").post(
        f"/console/tickets/{ticket.pk}/escalate", {"reason": "again"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "already at the last tier" in response.content.decode()


def test_actions_need_post_and_csrf(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, now=timezone.now())
    assert client_for(world, "t1").get(f"/console/tickets/{ticket.pk}/reply").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.agents["t1"].user)
    response = strict.post(f"/console/tickets/{ticket.pk}/reply", {"body": "x", "kind": "public"})
    assert response.status_code == 403
    html = strict.get(f"/console/tickets/{ticket.pk}").content.decode()
    assert html.count('name="csrfmiddlewaretoken"') >= 6


# --------------------------------------------------------------------------- notifications


def test_notifications_page_lists_a_leads_notification_and_marks_it_read(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(
        world,
        plan="pro",
        severity="P1",
        subject="Totals wrong",
        ago=timedelta(days=9),
        now=timezone.now(),
    )
    clock = ticket.clocks.get(kind="first_response")
    notify.tell_leads(ticket=ticket, event="sla_breached", clock=clock, now=ticket.opened_at)
    lead = client_for(world, "lead1")
    html = lead.get("/console/notifications?lang=en").content.decode()
    assert f"#{ticket.pk}" in html
    assert "Totals wrong" in html
    assert f'href="/console/tickets/{ticket.pk}"' in html
    assert '<span class="badge count">1</span>' in html  # the header badge
    badge = htmx(lead, "/console/notifications/badge").content.decode()
    assert '<span class="badge count">1</span>' in badge
    assert "hx-trigger" in badge
    note = Notification.objects.get(agent=world.agents["lead1"])
    # another agent cannot mark it
    assert (
        client_for(world, "lead2").post(f"/console/notifications/{note.pk}/read").status_code == 404
    )
    response = lead.post(f"/console/notifications/{note.pk}/read")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert "badge count" not in htmx(lead, "/console/notifications/badge").content.decode()
    # T1 agents (not leads) got nothing
    assert (
        "No notifications"
        in client_for(world, "t1").get("/console/notifications?lang=en").content.decode()
    )


def test_the_badge_counts_up_to_99_then_says_99_plus(world, monkeypatch):  # type: ignore[no-untyped-def]
    from soporte.notify import selectors

    monkeypatch.setattr(selectors, "UNREAD_SHOWN", 2)
    lead = client_for(world, "lead1")

    def badge() -> str:
        return str(htmx(lead, "/console/notifications/badge").content.decode())

    for n, event in enumerate(["sla_at_risk", "sla_breached", "sla_at_risk"]):
        ticket = open_ticket(world, ago=timedelta(days=9, minutes=n), now=timezone.now())
        clock = ticket.clocks.get(kind="first_response")
        notify.tell_leads(ticket=ticket, event=event, clock=clock, now=ticket.opened_at)
        if n < 2:
            assert f'<span class="badge count">{n + 1}</span>' in badge()
    assert Notification.objects.filter(agent=world.agents["lead1"], read_at=None).count() == 3
    assert '<span class="badge count">2+</span>' in badge()


def test_mark_all_read(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, ago=timedelta(days=9), now=timezone.now())
    for clock in ticket.clocks.all():
        notify.tell_leads(ticket=ticket, event="sla_at_risk", clock=clock, now=ticket.opened_at)
        notify.tell_leads(ticket=ticket, event="sla_breached", clock=clock, now=ticket.opened_at)
    lead = client_for(world, "lead1")
    assert Notification.objects.filter(agent=world.agents["lead1"], read_at=None).count() == 2
    lead.post("/console/notifications/read-all")
    assert Notification.objects.filter(agent=world.agents["lead1"], read_at=None).count() == 0


def test_a_customer_reply_that_supplies_a_field_updates_the_checklist_and_the_timeline(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, plan="pro", severity="P2", intake=Intake(), now=timezone.now())
    org = world.orgs["pro"]
    client = client_for(world, "t1")
    assert "Intake checklist (0/7)" in text_of(page(client, ticket))

    services.reply(
        ticket=ticket, author=world.contacts["pro"], body=f"Nuestro ID: {org.pk}", at=timezone.now()
    )

    html = page(client, ticket)
    text = text_of(html)
    assert "Intake checklist (1/7)" in text
    assert re.search(r'<li class="ok"><strong>Organisation ID</strong>', html)
    assert "Intake 0/7 → 1/7, from the customer's reply: Organisation ID" in unescape(text)


def test_the_t1_agent_who_escalates_still_reads_the_ticket_and_finds_it_under_i_took_part(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, subject="Machine online, no sales", now=timezone.now())
    other = open_ticket(world, subject="Someone else's", now=timezone.now())
    t1 = client_for(world, "t1")
    t1.post(f"/console/tickets/{ticket.pk}/reply", {"body": "Checking", "kind": "public"})
    t1.post(f"/console/tickets/{ticket.pk}/escalate", {"reason": "needs Supabase logs"})

    html = page(t1, ticket)  # read-only now: T2 works it
    assert "Escalated T1 → T2. Reason: needs Supabase logs" in text_of(html)
    assert "This ticket is at T2" in text_of(html)
    assert f"/console/tickets/{ticket.pk}/reply" not in html
    assert f"/console/tickets/{ticket.pk}/escalate" not in html
    refused = t1.post(f"/console/tickets/{ticket.pk}/reply", {"body": "x", "kind": "internal"})
    assert refused.status_code == 403
    assert not Message.objects.filter(ticket=ticket, body__contains="x</p>").exists()

    took_part = t1.get("/console/participated", {"lang": "es"}).content.decode()
    assert "Participé" in took_part
    assert f'data-ticket="{ticket.pk}"' in took_part
    assert f'data-ticket="{other.pk}"' not in took_part
    assert (
        f'data-ticket="{ticket.pk}"'
        in t1.get("/console/participated", {"status": "pending"}).content.decode()
    )
