"""The Django admin cannot bypass the rules: what the services own (a ticket's severity, plan,
status, tier and the rest of its routing, its clocks and due times, pages, overrides) is
read-only there; tickets, clocks, pages and overrides are made through the services only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from soporte.escalation.models import Page
from soporte.oncall.models import Override
from soporte.sla.models import Clock
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Attachment, Message, Ticket, TimelineEvent

pytestmark = pytest.mark.django_db

OPENED = datetime.fromisoformat("2026-12-01T10:00:00-06:00")

RULED = {
    Ticket: {"severity", "plan", "status", "tier", "channel", "next_due_at", "assignee"},
    Clock: {"due_at", "target", "started_at", "fulfilled_at", "breached_at"},
    Page: {"severity", "acknowledged_at", "resolved_at", "chain", "wake_at"},
}


@pytest.fixture
def superuser(world: Any) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw-12345678")
    client = Client()
    client.force_login(user)
    return client


def ticket(world: Any) -> Ticket:
    return services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P2",
        subject="Map down",
        body="The map is blank.",
        intake=Intake(),
        received_at=OPENED,
        now=timezone.now(),
    )


@pytest.mark.parametrize("model", list(RULED), ids=lambda m: m.__name__)
def test_the_fields_rules_own_are_never_editable_in_the_admin(
    world: Any, superuser: Any, model: Any
) -> None:
    site = admin.site._registry[model]
    request = superuser.get("/admin/").wsgi_request
    obj = model.objects.first()
    editable = set(site.get_fields(request, obj)) - set(site.get_readonly_fields(request, obj))
    if site.has_change_permission(request, obj):
        assert RULED[model] & editable == set()
    assert not site.has_add_permission(request)


def test_a_severity_posted_to_the_admin_changes_nothing(world: Any, superuser: Client) -> None:
    made = ticket(world)
    events = made.timeline.count()
    due = sorted(made.clocks.values_list("due_at", flat=True))

    page = superuser.get(f"/admin/tickets/ticket/{made.pk}/change/")
    assert page.status_code == 200
    assert 'name="severity"' not in page.content.decode()
    superuser.post(
        f"/admin/tickets/ticket/{made.pk}/change/",
        {"severity": "P0", "status": "solved", "tier": "T3", "plan": "enterprise"},
    )

    made.refresh_from_db()
    assert (made.severity, made.status, made.tier, made.plan) == ("P2", "new", "T1", "pro")
    assert made.timeline.count() == events
    assert sorted(made.clocks.values_list("due_at", flat=True)) == due
    assert Page.objects.count() == 0


@pytest.mark.parametrize(
    "path", ["tickets/ticket", "sla/clock", "escalation/page", "oncall/override"]
)
def test_nothing_the_services_make_is_added_in_the_admin(superuser: Client, path: str) -> None:
    assert superuser.get(f"/admin/{path}/add/").status_code == 403


def test_a_tickets_messages_events_and_files_are_read_only(world: Any, superuser: Any) -> None:
    request = superuser.get("/admin/").wsgi_request
    made = ticket(world)
    inlines = admin.site._registry[Ticket].get_inline_instances(request, made)
    for inline in inlines:
        assert inline.model in (Message, TimelineEvent)
        assert not inline.has_add_permission(request, made)
        assert not inline.can_delete
    files = admin.site._registry[Attachment]
    assert not files.has_add_permission(request)
    assert not files.has_change_permission(request)  # moving a file to a public message


def test_overrides_are_kept_to_the_on_call_page(world: Any, superuser: Any) -> None:
    request = superuser.get("/admin/").wsgi_request
    overrides = admin.site._registry[Override]
    assert not overrides.has_change_permission(request)
