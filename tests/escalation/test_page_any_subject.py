"""Bad input cannot silence a page: whatever a ticket's subject and body hold (even a row
stored before intake folded subjects into one line), the page email goes out; and when a page
cannot be delivered, the timeline says so instead of claiming it was sent."""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soporte.accounts import services as accounts
from soporte.escalation.models import Page
from soporte.jobs import services as jobs
from soporte.jobs.models import OutboxMessage
from soporte.oncall.services import create_rotation
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import EventKind, Ticket, TimelineEvent

pytestmark = pytest.mark.django_db

STORABLE = st.characters(codec="utf-8", exclude_characters="\x00")  # what both databases hold


@pytest.fixture
def primary(world: Any) -> Any:
    mateo = accounts.create_agent(
        email="mateo@trackmyvend.example", name="Mateo Cruz", tier="T3", role="agent"
    )
    create_rotation(
        name="Plataforma",
        members=[mateo],
        starts_at=timezone.now() - timedelta(1),
        now=timezone.now(),
    )
    return mateo


@pytest.fixture
def everyone(world: Any) -> list[Any]:
    """A primary, a secondary, the founder and the CTO; the CSM of the Enterprise customer."""
    make = accounts.create_agent
    people = [
        make(email=f"{name}@trackmyvend.example", name=name.title(), tier="T3", role=role)
        for name, role in [("ana", "agent"), ("beto", "agent"), ("fer", "founder"), ("cto", "cto")]
    ]
    create_rotation(
        name="Plataforma",
        members=people[:2],
        starts_at=timezone.now() - timedelta(1),
        now=timezone.now(),
    )
    csm = make(email="csm@trackmyvend.example", name="Carla", tier="T1", role="agent")
    world.orgs["enterprise"].csm = csm
    world.orgs["enterprise"].save()
    return [*people, csm]


def _run_jobs(until: Any) -> None:
    while jobs.run_due(worker="test", now=until):
        pass


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    subject=st.text(STORABLE, max_size=200),
    stored=st.text(STORABLE, max_size=200),
    body=st.text(STORABLE, min_size=1, max_size=400),
)
def test_every_page_email_goes_out_whatever_the_subject_and_body(
    world: Any, everyone: list[Any], subject: str, stored: str, body: str
) -> None:
    ticket = tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity="P2",
        subject=subject,
        body=body,
        intake=Intake(),
        now=timezone.now(),
    )
    Ticket.objects.filter(pk=ticket.pk).update(subject=stored)  # a row from before intake folded
    tickets.change_severity(
        ticket=ticket, severity="P0", actor=world.agents["lead1"], at=timezone.now()
    )
    page = Page.objects.get(ticket=ticket)

    _run_jobs(page.opened_at + timedelta(minutes=30))  # primary, secondary, founder and CTO

    number = re.compile(rf"#{ticket.pk}(?!\d)")
    about = [m for m in OutboxMessage.objects.all() if number.search(m.payload["subject"])]
    assert {m.status for m in about} == {OutboxMessage.Status.SENT}
    sent = [m for m in mail.outbox if number.search(m.subject)]
    assert {m.to[0] for m in sent} >= {person.email for person in everyone} | {
        world.contacts["enterprise"].email  # the acknowledgement
    }
    assert not any("\n" in m.subject or "\r" in m.subject for m in sent)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_page_that_cannot_be_delivered_is_on_the_timeline_as_failed(
    world: Any, primary: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()  # refused at once
    ticket = tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity="P0",
        subject="Todas las máquinas fuera de línea",
        body="Nada carga",
        intake=Intake(),
        now=timezone.now(),
    )
    page = Page.objects.get(ticket=ticket)
    for seconds in (0, 5, 15, 40):  # past each retry's backoff
        _run_jobs(page.opened_at + timedelta(seconds=seconds))

    # The primary's page fails, and so do the pages of the gap (nobody else is on call here).
    failures = TimelineEvent.objects.filter(ticket=ticket, kind=EventKind.PAGE_FAILED)
    [failed] = [e for e in failures if e.data["agent"] == "Mateo Cruz"]
    assert failed.data["transport"] == "email"
    client = Client()
    client.force_login(world.agents["lead1"].user)
    html = client.get(f"/console/tickets/{ticket.pk}?lang=en").content.decode()
    assert "Paged Mateo Cruz" not in html
    assert "Page for Mateo Cruz (the on-call primary) queued over email" in html
    assert "Page for Mateo Cruz (the on-call primary) could not be delivered over email" in html
