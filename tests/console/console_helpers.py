"""Helpers for the console tests: tickets opened relative to the real clock, signed-in clients."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from soporte.tickets import services
from soporte.tickets.domain.intake import Intake


def open_ticket(  # type: ignore[no-untyped-def]
    world,
    *,
    plan: str = "pro",
    severity: str = "P2",
    channel: str = "email",
    subject: str = "Dashboard shows $0",
    ago: timedelta = timedelta(0),
    intake: Intake | None = None,
    **kw: Any,
):
    """A ticket received ``ago`` before now (the console computes clocks at the real now)."""
    received: datetime = timezone.now() - ago
    return services.open_ticket(
        requester=world.contacts[plan],
        channel=channel,
        severity=severity,
        subject=subject,
        body="Ventas totales hoy shows $0.",
        intake=intake or Intake(),
        received_at=received,
        now=kw.pop("now", timezone.now()),
        **kw,
    )


def client_for(world, name: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.agents[name].user)
    return client


def htmx(client: Client, url: str) -> Any:
    return client.get(url, headers={"HX-Request": "true"})
