"""Tickets solved at fixed instants, articles and uses for the pinned-FAQ tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from soporte.accounts import services as accounts
from soporte.kb.models import Article, ArticleUse, Category, Status
from soporte.tickets import services as tickets
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket

MONDAY_W47 = datetime.fromisoformat("2026-11-16T00:00:00-06:00")
"""Monday 00:00 of 2026-W47 in Mexico City (06:00 UTC)."""

PASSWORD = "pw-12345678"


def english_contact(world: Any) -> Any:
    return accounts.create_contact(
        organisation=world.orgs["pro"],
        email="bob@pro.example",
        name="Bob Pro",
        password=PASSWORD,
        locale="en",
    )


def solved(
    world: Any,
    solved_at: datetime,
    *,
    subject: str = "No aparecen mis ventas",
    body: str = "Desde ayer no veo las ventas de la maquina 12 en el tablero.",
    contact: Any = None,
    article: Article | None = None,
    escalate: bool = False,
) -> Ticket:
    """A ticket opened two hours before ``solved_at`` and solved then by T1 (escalated to T2
    first when ``escalate``), answered with ``article`` if given."""
    opened = solved_at - timedelta(hours=2)
    ticket = tickets.open_ticket(
        requester=contact or world.contacts["pro"],
        channel="portal",
        severity="P3",
        subject=subject,
        body=body,
        intake=Intake(),
        received_at=opened,
        now=opened,
    )
    if escalate:
        tickets.escalate(ticket=ticket, actor=world.agents["t1"], reason="logs", at=opened)
    if article is not None:
        ArticleUse.objects.create(
            ticket=ticket, article=article, agent=world.agents["t1"], at=opened
        )
    return tickets.change_status(
        ticket=ticket, status="solved", actor=world.agents["t1"], at=solved_at
    )


def article(
    slug: str,
    *,
    language: str = "es",
    source: Article | None = None,
    status: str = Status.PUBLISHED,
) -> Article:
    shelf, _ = Category.objects.get_or_create(
        slug_es="general",
        defaults={"name_es": "General", "name_en": "General", "slug_en": "general-en"},
    )
    return Article.objects.create(
        category=shelf,
        language=language,
        title=slug.replace("-", " ").capitalize(),
        slug=slug,
        body=f"Respuesta: {slug}",
        status=status,
        source=source,
        source_revision=1 if source else None,
        created_at=MONDAY_W47,
        updated_at=MONDAY_W47,
        published_at=MONDAY_W47,
    )
