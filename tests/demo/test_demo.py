"""The demo world: every state present, some breached, some at risk, reset rebuilds it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from soporte.accounts.models import Agent, Organisation
from soporte.demo import world as demo
from soporte.oncall.models import Override, Rotation
from soporte.oncall.selectors import upcoming_overrides, who_is_on_call
from soporte.sla.domain import ClockStatus
from soporte.sla.selectors import clock_views, most_urgent
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_desk_looks_alive():
    world = demo.seed(now=timezone.now())
    assert world["password"] == demo.PASSWORD
    assert set(Organisation.objects.values_list("plan", flat=True)) == {
        "starter",
        "pro",
        "enterprise",
    }
    assert set(Agent.objects.values_list("tier", flat=True)) == {"T1", "T2", "T3"}
    assert {"lead", "founder", "cto", "admin"} <= set(Agent.objects.values_list("role", flat=True))
    tickets = Ticket.objects.prefetch_related("clocks")
    assert {"new", "open", "pending", "solved"} <= set(tickets.values_list("status", flat=True))
    assert set(tickets.values_list("tier", flat=True)) == {"T1", "T2", "T3"}
    now = timezone.now()
    statuses = {most_urgent(clock_views(t.clocks.all(), now)).status for t in tickets}  # type: ignore[union-attr]
    assert {ClockStatus.BREACHED, ClockStatus.AT_RISK, ClockStatus.ON_TRACK} <= statuses


def test_demo_has_a_rotation_with_someone_on_call_now_and_an_upcoming_override(capsys):
    world = demo.seed(now=timezone.now())
    rotation = Rotation.objects.get()
    assert rotation.name == "Plataforma"
    assert rotation.takes_pages
    members = [m.agent.email for m in rotation.members.order_by("layer", "position")]
    assert members == ["mateo@trackmyvend.mx", "camila@trackmyvend.mx"]
    assert set(Agent.objects.filter(user__email__in=members).values_list("tier", flat=True)) == {
        "T3"
    }
    now = timezone.now()
    on_call = who_is_on_call(rotation=rotation, at=now)
    assert on_call.primary is not None
    assert on_call.primary.email == "mateo@trackmyvend.mx"
    assert on_call.secondary is not None
    assert on_call.secondary.email == "camila@trackmyvend.mx"
    [override] = upcoming_overrides(now=now)
    assert override.starts_at > now
    assert (override.covering.email, override.covered.email) == (  # type: ignore[union-attr]
        "elena@trackmyvend.mx",
        "camila@trackmyvend.mx",
    )
    # next week, when Camila is primary: Elena holds it for those two days
    assert who_is_on_call(rotation=rotation, at=override.starts_at).primary == override.covering
    demo.print_signins(world)
    banner = capsys.readouterr().out
    assert "on call now: Plataforma: Mateo Cruz <mateo@trackmyvend.mx> (primary), " in banner
    assert "Camila Reyes <camila@trackmyvend.mx> (secondary) until " in banner


def test_reset_rebuilds_and_a_second_seed_needs_reset():
    demo.seed(now=timezone.now())
    first = Ticket.objects.count()
    assert not demo.is_empty()
    demo.reset()
    assert demo.is_empty()
    assert not Ticket.objects.exists()
    assert not Rotation.objects.exists()
    assert not Override.objects.exists()
    demo.seed(now=timezone.now())
    assert Ticket.objects.count() == first > len(demo.STORIES)
    assert Rotation.objects.count() == 1


def test_demo_desk_has_email_threads_a_bounce_an_unidentified_sender_and_a_chat():
    from soporte.tickets.models import AuthorKind, EventKind

    demo.seed(now=timezone.now())
    emailed = Ticket.objects.filter(channel="email")
    threaded = [
        t
        for t in emailed
        if t.messages.filter(author_kind=AuthorKind.CUSTOMER).count() >= 2
        and t.messages.filter(provider_scope="email").count() >= 2
    ]
    assert threaded, "an email thread with the customer's reply appended"
    assert emailed.filter(timeline__kind=EventKind.EMAIL_BOUNCED).exists()
    assert emailed.filter(organisation__unidentified=True).exists()
    assert Ticket.objects.filter(channel="chat", requester__organisation__unidentified=False)


def test_demo_has_a_written_postmortem_and_one_due():
    from soporte.feedback.models import PostMortem

    now = timezone.now()
    demo.seed(now=now)
    written = PostMortem.objects.get(status="written")
    assert written.ticket.severity == "P0"
    assert written.action_items.count() == 2
    assert all(item.fix_url.startswith("https://") for item in written.action_items.all())
    due = PostMortem.objects.filter(status="requested", due_at__gt=now)
    assert due.count() == 1


def test_demo_desk_has_a_disposed_and_an_open_recurrence():
    from soporte.feedback.models import Recurrence

    demo.seed(now=timezone.now())
    recurrences = list(Recurrence.objects.order_by("created_at"))
    assert [r.disposition for r in recurrences] == ["kb_article", ""]
    assert all(r.members.count() == 2 for r in recurrences)
