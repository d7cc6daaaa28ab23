"""What the ticket routes do: queues, creation on behalf of a contact, changes, conversation,
attachments and the SLA explanation, as agents, integrations and contacts use them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_helpers import PNG, Desk, png_upload
from django.test import Client
from django.utils import timezone

from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, Ticket

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_queue_is_earliest_due_first_with_filters_and_pages(desk: Desk) -> None:
    contact = desk.world.contacts["enterprise"]
    urgent = services.open_ticket(
        requester=contact,
        channel="email",
        severity="P0",
        subject="Down",
        body="All down",
        intake=Intake(),
        now=timezone.now(),
    )
    client = desk.client("lead")

    page = client.get("/api/tickets?limit=2").json()
    assert page["count"] == 3
    assert page["count_exact"] is True
    assert page["limit"] == 2
    assert len(page["items"]) == 2
    assert page["items"][0]["id"] == urgent.pk
    dues = [t["next_due_at"] for t in client.get("/api/tickets").json()["items"]]
    assert dues == sorted(dues)
    assert [t["id"] for t in client.get("/api/tickets?offset=2").json()["items"]] == [
        client.get("/api/tickets").json()["items"][2]["id"]
    ]
    assert {t["id"] for t in client.get("/api/tickets?tier=T2").json()["items"]} == {
        desk.t2_ticket.pk
    }
    assert client.get("/api/tickets?severity=P0&plan=enterprise").json()["count"] == 1
    assert client.get("/api/tickets?status=solved").json()["count"] == 0
    assert client.get("/api/tickets?mine=true").json()["count"] == 0


def test_the_count_stops_a_set_distance_past_the_page(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from soporte.tickets import api

    monkeypatch.setattr(api, "COUNT_AHEAD", 0)
    client = desk.client("lead")  # sees the desk's 2 tickets

    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/tickets?limit=1").json()
    assert (first["count"], first["count_exact"]) == (2, False)  # counted up to 1, and more
    [count] = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 2" in count.upper()
    whole = client.get("/api/tickets?limit=2").json()
    assert (whole["count"], whole["count_exact"]) == (2, True)
    last = client.get("/api/tickets?limit=1&offset=1").json()
    assert (last["count"], last["count_exact"]) == (2, True)


def test_the_list_costs_the_same_queries_however_many_tickets(desk: Desk) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = desk.client("lead")
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/tickets?limit=5").json()["items"]) == 2
    for n in range(12):
        services.open_ticket(
            requester=desk.world.contacts[("starter", "pro", "enterprise")[n % 3]],
            channel="email",
            severity="P2",
            subject=f"Ticket {n}",
            body="Details",
            intake=Intake(),
            now=timezone.now(),
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/api/tickets?limit=5").json()
    assert (len(page["items"]), page["count"]) == (5, 14)
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_each_caller_lists_only_what_they_may_see(desk: Desk) -> None:
    def ids(role: str) -> set[int]:
        return {t["id"] for t in desk.client(role).get("/api/tickets").json()["items"]}

    both = {desk.t1_ticket.pk, desk.t2_ticket.pk}
    assert ids("contact_a") == both
    assert ids("contact_b") == set()
    assert ids("t1") == {desk.t1_ticket.pk}
    assert ids("t2") == both


def test_an_integration_opens_a_ticket_for_a_contact_once_per_external_id(desk: Desk) -> None:
    client = desk.client("t1")
    body = {
        "subject": "Sales missing",
        "body": "No sales since 9:00",
        "severity": "P1",
        "channel": "whatsapp",
        "requester_email": "ana@pro.example",
        "external_id": "wamid.123",
        "intake": {"url": "https://app/x", "browser_os": "Chrome", "still_happening": "yes"},
    }

    first = send(client, "post", "/api/tickets", body)
    again = send(client, "post", "/api/tickets", body)

    assert first.status_code == again.status_code == 201
    data = first.json()
    assert again.json()["id"] == data["id"]
    assert (data["channel"], data["plan"], data["tier"], data["completeness"]) == (
        "whatsapp",
        "pro",
        "T1",
        3,
    )
    assert {c["kind"] for c in data["clocks"]} == {"first_response", "channel_response"}
    assert data["intake"]["still_happening"] == "yes"
    assert "screenshot" in data["missing_intake"]


def test_a_contact_opens_tickets_only_for_themselves_through_the_portal(desk: Desk) -> None:
    client = desk.client("contact_a")
    body = {"subject": "Help", "body": "It broke", "severity": "P3"}

    mine = send(client, "post", "/api/tickets", body)
    for_other = send(client, "post", "/api/tickets", {**body, "requester_email": "ana@pro.example"})
    by_phone = send(client, "post", "/api/tickets", {**body, "channel": "phone"})

    assert mine.status_code == 201
    assert mine.json()["channel"] == "portal"
    assert mine.json()["requester"]["email"] == "ana@starter.example"
    assert for_other.status_code == by_phone.status_code == 403


def test_patch_changes_severity_status_and_assignee_on_the_timeline(desk: Desk) -> None:
    client = desk.client("t2")
    agent = desk.world.agents["t2"]
    path = f"/api/tickets/{desk.t2_ticket.pk}"

    changed = send(
        client,
        "patch",
        path,
        {
            "severity": "P1",
            "status": "open",
            "assignee_id": agent.pk,
            "reason": "more users",
        },
    ).json()
    assert (changed["severity"], changed["status"]) == ("P1", "open")
    assert changed["assignee"] == {"id": agent.pk, "name": agent.name, "email": agent.email}
    kinds = set(Ticket.objects.get(pk=desk.t2_ticket.pk).timeline.values_list("kind", flat=True))
    assert {EventKind.SEVERITY_CHANGED, EventKind.STATUS_CHANGED, EventKind.ASSIGNED} <= kinds
    assert client.get("/api/tickets?mine=true").json()["count"] == 1

    kept = send(client, "patch", path, {"status": "pending"}).json()
    assert kept["assignee"] is not None
    assert send(client, "patch", path, {"assignee_id": None}).json()["assignee"] is None


def test_a_contact_may_solve_and_reopen_but_nothing_else(desk: Desk) -> None:
    client = desk.client("contact_a")
    path = f"/api/tickets/{desk.t1_ticket.pk}"

    assert send(client, "patch", path, {"status": "solved"}).json()["status"] == "solved"
    assert send(client, "patch", path, {"status": "open"}).json()["status"] == "open"
    assert send(client, "patch", path, {"status": "closed"}).status_code == 403
    assert send(client, "patch", path, {"severity": "P0"}).status_code == 403
    assert send(client, "patch", path, {"assignee_id": None}).status_code == 403


def test_escalation_moves_the_ticket_and_records_the_reason(desk: Desk) -> None:
    response = send(
        desk.client("t1"),
        "post",
        f"/api/tickets/{desk.t1_ticket.pk}/escalate",
        {"reason": "needs logs", "code_bug": False},
    )

    assert response.status_code == 200
    assert response.json()["tier"] == "T2"
    event = Ticket.objects.get(pk=desk.t1_ticket.pk).timeline.get(kind=EventKind.ESCALATED)
    assert event.data["reason"] == "needs logs"
    assert desk.client("t1").get(f"/api/tickets/{desk.t1_ticket.pk}").status_code == 200  # read
    path = f"/api/tickets/{desk.t1_ticket.pk}/escalate"
    again = send(desk.client("t1"), "post", path, {"reason": "and again"})
    assert again.status_code == 403  # not T1's to escalate further
    blank = send(
        desk.client("t2"), "post", f"/api/tickets/{desk.t1_ticket.pk}/escalate", {"reason": "  "}
    )
    assert blank.status_code == 422


def test_contacts_never_see_internal_notes_or_their_attachments(desk: Desk) -> None:
    ticket = desk.t2_ticket
    services.reply(
        ticket=ticket,
        author=desk.world.agents["t2"],
        body="secret",
        public=False,
        uploads=[png_upload("internal.png")],
        at=timezone.now(),
    )
    send(desk.client("t2"), "post", f"/api/tickets/{ticket.pk}/messages", {"body": "Hola <b>"})

    agent_view = desk.client("t2").get(f"/api/tickets/{ticket.pk}/messages").json()
    contact_view = desk.client("contact_a").get(f"/api/tickets/{ticket.pk}/messages").json()

    assert "internal" in {m["kind"] for m in agent_view}
    assert {m["kind"] for m in contact_view} == {"public"}
    assert "Hola &lt;b&gt;" in contact_view[-1]["body"]
    assert contact_view[-1]["author_kind"] == "agent"
    agent_files = desk.client("t2").get(f"/api/tickets/{ticket.pk}/attachments").json()
    contact_files = desk.client("contact_a").get(f"/api/tickets/{ticket.pk}/attachments").json()
    assert {a["filename"] for a in agent_files} == {"screen.png", "internal.png"}
    assert {a["filename"] for a in contact_files} == {"screen.png"}
    hidden = next(a for a in agent_files if a["filename"] == "internal.png")
    assert desk.client("contact_a").get(hidden["download_url"]).status_code == 404
    assert desk.client("t2").get(hidden["download_url"]).status_code == 200


def test_a_contact_reply_reopens_and_a_contact_cannot_write_notes(desk: Desk) -> None:
    path = f"/api/tickets/{desk.t1_ticket.pk}/messages"
    client = desk.client("contact_a")

    reply = send(client, "post", path, {"body": "Still broken"})
    note = send(client, "post", path, {"body": "x", "kind": "internal"})

    assert reply.status_code == 201
    assert reply.json()["author_kind"] == "customer"
    assert note.status_code == 403
    assert Ticket.objects.get(pk=desk.t1_ticket.pk).status == "open"


def test_upload_and_download_a_screenshot(desk: Desk) -> None:
    client = desk.client("contact_a")

    uploaded = client.post(
        f"/api/tickets/{desk.t1_ticket.pk}/attachments", {"file": png_upload("bug.png")}
    )
    assert uploaded.status_code == 201
    meta = uploaded.json()
    assert (meta["content_type"], meta["size"], meta["filename"]) == (
        "image/png",
        len(PNG),
        "bug.png",
    )

    download = client.get(meta["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment")
    assert desk.client("contact_b").get(meta["download_url"]).status_code == 404


def test_sla_state_is_explained_in_the_language_asked(desk: Desk) -> None:
    path = f"/api/tickets/{desk.t2_ticket.pk}/sla"

    english = desk.client("t2").get(path, {"lang": "en"}).json()
    spanish = desk.client("contact_a").get(path).json()

    assert english["lang"] == "en"
    assert spanish["lang"] == "es"
    clock = english["clocks"][0]
    assert clock["kind"] == "first_response"
    assert clock["target"] == "2 bd"
    assert clock["status"] in {"on_track", "at_risk", "breached"}
    assert isinstance(clock["remaining_seconds"], int)
    assert any(line.startswith("Due ") for line in clock["explanation"])
    assert spanish["clocks"][0]["explanation"] != clock["explanation"]
    assert desk.client("t2").get(path, {"lang": "fr"}).status_code == 422


def test_read_shows_the_clocks_fulfilled_after_the_first_agent_reply(desk: Desk) -> None:
    path = f"/api/tickets/{desk.t2_ticket.pk}"
    send(desk.client("t2"), "post", f"{path}/messages", {"body": "On it"})

    clocks = desk.client("t2").get(path).json()["clocks"]

    assert clocks
    assert all(c["fulfilled_at"] and c["status"] == "met" for c in clocks)


def test_a_t1_integration_gets_back_the_emergency_ticket_it_filed_at_t3(desk: Desk) -> None:
    contact = desk.world.contacts["enterprise"]
    client = desk.client("t1")
    body = {
        "requester_id": contact.pk,
        "subject": "All machines down",
        "body": "Nothing works",
        "severity": "P2",
        "channel": "phone",
    }
    created = send(client, "post", "/api/tickets", body)
    assert created.status_code == 201
    answer = created.json()
    assert (answer["tier"], answer["severity"]) == ("T3", "P0")
    assert Ticket.objects.filter(pk=answer["id"], tier="T3").exists()
    assert client.get(f"/api/tickets/{answer['id']}").status_code == 200  # agents read every one
    listed = client.get("/api/tickets").json()["items"]
    assert answer["id"] not in [t["id"] for t in listed]  # but it is not in T1's queues
