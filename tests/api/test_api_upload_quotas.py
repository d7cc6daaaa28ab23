"""Upload quotas (settings): files and bytes per message, bytes per ticket. Going over one is a
clear error naming the limit, and nothing already accepted (the typed text, the files the ticket
holds) is lost."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import PNG, Desk, png_upload
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from soporte.tickets import services
from soporte.tickets.attachments import AttachmentRejected
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Attachment, Message, Ticket

pytestmark = pytest.mark.django_db

SIZE = len(PNG)


@pytest.fixture
def quotas(settings: Any) -> Any:
    settings.SOPORTE_MAX_FILES_PER_MESSAGE = 3
    settings.SOPORTE_MAX_MESSAGE_UPLOAD_BYTES = 3 * SIZE
    settings.SOPORTE_MAX_TICKET_UPLOAD_BYTES = 5 * SIZE
    return settings


def pngs(n: int) -> list[SimpleUploadedFile]:
    return [png_upload(f"screen-{i}.png") for i in range(n)]


def big(name: str = "big.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG + b"\x00" * (3 * SIZE), content_type="image/png")


def test_a_console_reply_with_too_many_files_is_refused_naming_the_limit(
    desk: Desk, quotas: Any
) -> None:
    ticket = desk.t1_ticket
    client = Client()
    client.force_login(desk.world.agents["t1"].user)

    response = client.post(
        f"/console/tickets/{ticket.pk}/reply?lang=en",
        {"body": "Here are the logs", "kind": "public", "files": pngs(4)},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Attach at most 3 files at a time." in html
    assert "Here are the logs" in html
    assert not Message.objects.filter(body__contains="Here are the logs").exists()
    assert not Attachment.objects.filter(ticket=ticket).exists()


def test_a_message_over_its_byte_limit_is_refused_naming_the_limit(world: Any, quotas: Any) -> None:
    with pytest.raises(AttachmentRejected, match=rf"\b{3 * SIZE}\b"):
        services.open_ticket(
            requester=world.contacts["pro"],
            channel="email",
            severity="P2",
            subject="Sin ventas",
            body="Nada",
            intake=Intake(),
            uploads=[big(), png_upload()],
            now=timezone.now(),
        )
    assert not Ticket.objects.filter(subject="Sin ventas").exists()


def test_a_ticket_over_its_byte_limit_keeps_every_file_it_holds(desk: Desk, quotas: Any) -> None:
    contact = desk.world.contacts["starter"]  # the T2 ticket holds one screenshot
    services.reply(
        ticket=desk.t2_ticket, author=contact, body="more", uploads=pngs(3), at=timezone.now()
    )

    with pytest.raises(AttachmentRejected, match=rf"\b{5 * SIZE}\b"):
        services.reply(
            ticket=desk.t2_ticket, author=contact, body="again", uploads=pngs(2), at=timezone.now()
        )
    client = desk.client("t2")
    answer = client.post(f"/api/tickets/{desk.t2_ticket.pk}/attachments", {"file": pngs(2)[1]})

    assert answer.status_code == 201  # the fifth file: exactly the limit
    refused = client.post(f"/api/tickets/{desk.t2_ticket.pk}/attachments", {"file": png_upload()})
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["field"] == "file"
    assert str(5 * SIZE) in error["message"]  # the limit, in bytes here
    assert Attachment.objects.filter(ticket=desk.t2_ticket).count() == 5
    assert not Message.objects.filter(body__contains="again").exists()
