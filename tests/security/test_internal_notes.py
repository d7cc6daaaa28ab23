"""An internal note and its attachment never reach a customer, by any route (ARCHITECTURE.md
rule 6): the portal's page and download, the API's ticket, messages, attachment list and
download, and the console. Agents reach both through the same routes, so every refusal below
is the rule at work, not a broken route."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from soporte.tickets import attachments, selectors, services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def noted(world: Any, settings: Any, tmp_path: Path) -> tuple[Ticket, Message, Attachment]:
    """A ticket without a screenshot, and an agent's internal note with one attached."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ticket = services.open_ticket(
        requester=world.contacts["pro"],
        channel="portal",
        severity="P2",
        subject="Mapa en blanco",
        body="El mapa no carga.",
        intake=Intake(),
        now=timezone.now(),
    )
    note = services.reply(
        ticket=ticket,
        author=world.agents["t1"],
        body="Internal: the tile server logs.",
        public=False,
        uploads=[png("server-logs.png")],
        at=timezone.now(),
    )
    return ticket, note, note.attachments.get()


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def routes(ticket: Ticket, attachment: Attachment) -> dict[str, str]:
    return {
        "portal page": f"/portal/tickets/{ticket.pk}",
        "portal download": f"/attachments/{attachment.pk}",
        "api ticket": f"/api/tickets/{ticket.pk}",
        "api messages": f"/api/tickets/{ticket.pk}/messages",
        "api attachments": f"/api/tickets/{ticket.pk}/attachments",
        "api download": f"/api/attachments/{attachment.pk}",
        "console page": f"/console/tickets/{ticket.pk}",
    }


def traces(response: Any, note: Message, attachment: Attachment) -> list[str]:
    """What of the note or its file a response shows."""
    if response.status_code != 200:
        return []
    if response.streaming:
        return ["the file itself"]
    text = response.content.decode()
    found = [
        word
        for word in ("server-logs.png", "tile server logs", f"/attachments/{attachment.pk}")
        if word in text
    ]
    if response["Content-Type"].startswith("application/json"):
        data = response.json()
        items = data if isinstance(data, list) else [data]
        for item in items:
            if item.get("id") in (note.pk, attachment.pk) and "ticket_id" in item:
                found.append(f"attachment {attachment.pk} listed")
            if attachment.pk in item.get("attachments", []):
                found.append(f"attachment {attachment.pk} on a message")
            if item.get("intake", {}).get("has_screenshot"):
                found.append("has_screenshot counts the note's file")
    return found


def test_no_route_shows_a_customer_an_internal_note_or_its_attachment(world, noted):  # type: ignore[no-untyped-def]
    ticket, note, attachment = noted
    customer = signed_in(world.contacts["pro"].user)
    leaks = {
        name: found
        for name, url in routes(ticket, attachment).items()
        if (found := traces(customer.get(url), note, attachment))
    }
    assert leaks == {}
    detail = customer.get(f"/api/tickets/{ticket.pk}").json()
    assert "screenshot" in detail["missing_intake"]


def test_the_same_routes_show_the_note_and_its_file_to_an_agent(world, noted):  # type: ignore[no-untyped-def]
    ticket, note, attachment = noted
    agent = signed_in(world.agents["t1"].user)
    # The portal sends agents to the console; the ticket's JSON names no message or file.
    shown = set(routes(ticket, attachment)) - {"portal page", "api ticket"}
    seen = {
        name
        for name in shown
        if traces(agent.get(routes(ticket, attachment)[name]), note, attachment)
    }
    assert seen == shown


def test_the_selectors_give_a_customer_public_messages_and_their_files_only(world, noted):  # type: ignore[no-untyped-def]
    ticket, note, attachment = noted
    public = services.reply(
        ticket=ticket,
        author=world.contacts["pro"],
        body="Aquí va.",
        uploads=[png("mapa.png")],
        at=timezone.now(),
    )
    on_reply = public.attachments.get()
    with transaction.atomic():
        loose = attachments.store(ticket=ticket, message=None, upload=png("later.png"))
    customer, agent = world.contacts["pro"].user, world.agents["t1"].user
    stranger = world.contacts["starter"].user

    assert note not in selectors.visible_messages(customer, ticket)
    assert public in selectors.visible_messages(customer, ticket)
    assert list(selectors.visible_messages(agent, ticket)) == list(
        ticket.messages.order_by("created_at", "id")
    )
    assert not selectors.visible_messages(stranger, ticket).exists()

    assert set(selectors.visible_attachments(customer, ticket)) == {on_reply, loose}
    assert set(selectors.visible_attachments(agent, ticket)) == {attachment, on_reply, loose}
    assert not selectors.visible_attachments(stranger).exists()
    assert selectors.intake_of(ticket).has_screenshot  # the customer's own file, not the note's
