"""Every page × every role (ARCHITECTURE.md rule 6), CSRF on browser posts, security headers,
and customer HTML made safe. The API has its own matrix in tests/api/."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from soporte.tickets import services
from soporte.tickets.domain.intake import Intake

pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
ROLES = ["anonymous", "contact_a", "contact_b", "t1", "t2", "t3", "lead", "admin"]
LOGIN, CONSOLE = "login", "console"
# The ticket belongs to organisation A and sits at T2: every agent reads it (docs/readings.md
# item 8); a T1 agent (not a lead) may not work it (see test_agents_work_only_their_tiers).
MATRIX: list[tuple[str, list[object]]] = [
    ("/portal/", [LOGIN, 200, 200, CONSOLE, CONSOLE, CONSOLE, CONSOLE, CONSOLE]),
    ("/portal/tickets/new", [LOGIN, 200, 200, CONSOLE, CONSOLE, CONSOLE, CONSOLE, CONSOLE]),
    ("/portal/tickets/{t}", [LOGIN, 200, 404, CONSOLE, CONSOLE, CONSOLE, CONSOLE, CONSOLE]),
    (
        "/portal/tickets/{t}/received",
        [LOGIN, 200, 404, CONSOLE, CONSOLE, CONSOLE, CONSOLE, CONSOLE],
    ),
    ("/console/queue/T1", [LOGIN, 403, 403, 200, 200, 200, 200, 200]),
    ("/console/queue/T2", [LOGIN, 403, 403, 403, 200, 200, 200, 200]),
    ("/console/queue/T3", [LOGIN, 403, 403, 403, 403, 200, 200, 200]),
    ("/console/mine", [LOGIN, 403, 403, 200, 200, 200, 200, 200]),
    ("/console/participated", [LOGIN, 403, 403, 200, 200, 200, 200, 200]),
    ("/console/all", [LOGIN, 403, 403, 403, 403, 403, 200, 200]),
    ("/console/tickets/{t}", [LOGIN, 403, 403, 200, 200, 200, 200, 200]),
    ("/console/tickets/{t}/sla", [LOGIN, 403, 403, 200, 200, 200, 200, 200]),
    ("/console/notifications", [LOGIN, 403, 403, 200, 200, 200, 200, 200]),
    ("/console/notifications/badge", [LOGIN, 403, 403, 200, 200, 200, 200, 200]),
    ("/console/oncall/", [LOGIN, 403, 403, 200, 200, 200, 200, 200]),
    ("/attachments/{a}", [LOGIN, 200, 404, 200, 200, 200, 200, 200]),
]


@pytest.fixture
def setting(world: Any) -> dict[str, Any]:
    contact = world.contacts["pro"]
    ticket = services.open_ticket(
        requester=contact,
        channel="portal",
        severity="P2",
        subject="Mapa en blanco",
        body="x",
        intake=Intake(),
        uploads=[SimpleUploadedFile("s.png", PNG, content_type="image/png")],
        now=timezone.now(),
    )
    services.escalate(
        ticket=ticket, actor=world.agents["t1"], reason="needs logs", at=timezone.now()
    )
    users = {
        "anonymous": None,
        "contact_a": contact.user,
        "contact_b": world.contacts["starter"].user,
        "t1": world.agents["t1"].user,
        "t2": world.agents["t2"].user,
        "t3": world.agents["t3"].user,
        "lead": world.agents["lead1"].user,
        "admin": world.agents["admin"].user,
    }
    return {"ticket": ticket, "attachment": ticket.attachments.get(), "users": users}


def client_for(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("pattern", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_every_page_for_every_role(setting, pattern, expected):  # type: ignore[no-untyped-def]
    url = pattern.format(t=setting["ticket"].pk, a=setting["attachment"].pk)
    got = []
    for role in ROLES:
        response = client_for(setting["users"][role]).get(url)
        status: object = response.status_code
        if status == 302:
            location = response["Location"]
            status = (
                LOGIN
                if location.startswith("/login/")
                else CONSOLE
                if location == "/console/"
                else location
            )
        got.append(status)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))


@pytest.mark.parametrize(
    ("role", "pattern", "data"),
    [
        ("contact_a", "/portal/tickets/{t}/reply", {"body": "hola"}),
        ("contact_a", "/portal/tickets/{t}/solve", {}),
        ("t2", "/console/tickets/{t}/reply", {"body": "hola", "action": "reply"}),
        ("t2", "/console/tickets/{t}/escalate", {"reason": "bug"}),
        ("anonymous", "/login/", {"email": "ana@pro.example", "password": "x"}),
    ],
)
def test_browser_posts_need_the_csrf_token(setting, role, pattern, data):  # type: ignore[no-untyped-def]
    client = client_for(setting["users"][role], enforce_csrf_checks=True)
    response = client.post(pattern.format(t=setting["ticket"].pk), data)
    assert response.status_code == 403
    ticket = setting["ticket"]
    ticket.refresh_from_db()
    assert ticket.tier == "T2"
    assert ticket.messages.count() == 2  # the request and the acknowledgement, nothing more


@pytest.mark.parametrize(
    ("pattern", "data"),
    [
        ("/console/tickets/{t}/reply", {"body": "hola", "kind": "internal"}),
        ("/console/tickets/{t}/escalate", {"reason": "bug", "code_bug": "on"}),
        ("/console/tickets/{t}/severity", {"severity": "P0", "reason": "down"}),
        ("/console/tickets/{t}/status", {"status": "solved"}),
        ("/console/tickets/{t}/assign", {"assignee": ""}),
    ],
)
def test_agents_work_only_their_tiers(setting, pattern, data):  # type: ignore[no-untyped-def]
    ticket = setting["ticket"]
    ticket.refresh_from_db()
    before = (ticket.tier, ticket.severity, ticket.status, ticket.messages.count())
    t1 = client_for(setting["users"]["t1"])
    assert t1.post(pattern.format(t=ticket.pk), data).status_code == 403
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.severity, ticket.status, ticket.messages.count()) == before
    lead = client_for(setting["users"]["lead"])
    assert lead.post(pattern.format(t=ticket.pk), data).status_code == 302


def test_security_headers(setting):  # type: ignore[no-untyped-def]
    response = client_for(setting["users"]["contact_a"]).get("/portal/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    download = client_for(setting["users"]["contact_a"]).get(
        f"/attachments/{setting['attachment'].pk}"
    )
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"


def test_customer_html_is_sanitised(world):  # type: ignore[no-untyped-def]
    ticket = services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P3",
        subject="x",
        body='<p onclick="steal()">Hola <script>alert(1)</script><a href="javascript:x()">a</a>'
        '<a href="https://ok.example">b</a><img src=x onerror=alert(2)></p>',
        body_is_html=True,
        intake=Intake(),
        now=timezone.now(),
    )
    body = ticket.messages.order_by("id").first().body  # type: ignore[union-attr]
    for unsafe in ("<script", "onclick", "onerror", "javascript:", "<img"):
        assert unsafe not in body
    assert '<a href="https://ok.example" rel="noopener noreferrer nofollow">b</a>' in body
    plain = services.reply(
        ticket=ticket, author=world.contacts["pro"], body="<b>not html</b>", at=timezone.now()
    )
    assert plain.body == "<p>&lt;b&gt;not html&lt;/b&gt;</p>"
