"""Shared setup of the REST API tests: who calls (eight roles) and two tickets of organisation A.

Organisation A is the Starter organisation of the ``world`` fixture, B the Pro one. Agents
call with bearer tokens, contacts with their browser session (as the portal does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from soporte.accounts.services import create_token
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Attachment, Ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

ROLES = ["anonymous", "contact_a", "contact_b", "t1", "t2", "t3", "lead", "admin"]
AGENTS = {"t1": "t1", "t2": "t2", "t3": "t3", "lead": "lead1", "admin": "admin"}
CONTACTS = {"contact_a": "starter", "contact_b": "pro"}
CSRF_SECRET = "k" * 32


def signed_in(client: Client) -> Client:
    """Give a session client the CSRF cookie and header a browser page would send."""
    client.cookies["csrftoken"] = CSRF_SECRET
    client.defaults["HTTP_X_CSRFTOKEN"] = CSRF_SECRET
    return client


@dataclass
class Desk:
    world: Any
    t1_ticket: Ticket
    """Organisation A's ticket at T1."""
    t2_ticket: Ticket
    """Organisation A's ticket escalated to T2 (T1 agents no longer see it)."""
    attachment: Attachment
    """A screenshot on ``t2_ticket``'s first message."""
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """A client calling as ``role``: agents with their bearer token, contacts with their
        browser session and its CSRF token (CSRF checks enforced, as for a browser)."""
        if role in AGENTS:
            return Client(HTTP_AUTHORIZATION=f"Bearer {self.token(role)}")
        client = Client(enforce_csrf_checks=True)
        if role in CONTACTS:
            client.force_login(self.world.contacts[CONTACTS[role]].user)
            signed_in(client)
        return client

    def token(self, role: str) -> str:
        if role not in self.tokens:
            agent = self.world.agents[AGENTS[role]]
            self.tokens[role] = create_token(agent=agent, name=f"test {role}")[1]
        return self.tokens[role]


def make_desk(world: Any) -> Desk:
    contact = world.contacts["starter"]

    def open_(subject: str, **kwargs: Any) -> Ticket:
        return services.open_ticket(
            requester=contact,
            channel="email",
            severity="P2",
            subject=subject,
            body="The dashboard shows no sales.",
            intake=Intake(url="https://app.example/x"),
            now=kwargs.pop("now", timezone.now()),
            **kwargs,
        )

    t1_ticket = open_("Dashboard empty")
    t2_ticket = open_("Reports fail", uploads=[png_upload()])
    services.escalate(
        ticket=t2_ticket, actor=world.agents["t1"], reason="needs T2", at=timezone.now()
    )
    attachment = Attachment.objects.get(ticket=t2_ticket)
    return Desk(world, t1_ticket, Ticket.objects.get(pk=t2_ticket.pk), attachment)


def png_upload(name: str = "screen.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")
