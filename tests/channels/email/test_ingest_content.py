"""What an email leaves on its ticket: the intake fields its text supplies, its attachments
within the quotas (a file over one left out with a note, never the mail), and the quoted
history kept apart from the new text."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from ingest_helpers import PNG, RECEIVED, deliver, raw

from soporte.channels.email.domain.message import Part, parse
from soporte.channels.email.ingest import Outcome, ingest_mail
from soporte.tickets.models import Attachment, AuthorKind, EventKind, Ticket

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 100


def deliver_with(files: tuple[tuple[str, str, bytes], ...], **fields: Any) -> Any:
    """A message from Ana carrying ``files`` as its parts (the parser's part, tested with it,
    is to find them in the MIME tree), filed at ``RECEIVED``."""
    parts = tuple(Part(name, media_type, data) for name, media_type, data in files)
    mail = replace(parse(raw(**fields)), parts=parts)
    return ingest_mail(mail, received_at=RECEIVED, now=RECEIVED)


def customer_message(ticket: Ticket) -> Any:
    return ticket.messages.filter(author_kind=AuthorKind.CUSTOMER).latest("id")


def test_the_text_supplies_the_intake_and_an_image_the_screenshot(world: Any) -> None:
    org = world.orgs["starter"].pk
    body = (
        f"Mi organización es {org}. Estaba en https://app.trackmyvend.example/ventas "
        "con Chrome 123 en Windows 11."
    )

    result = deliver_with((("pantalla.png", "image/png", PNG),), body=body)

    ticket = Ticket.objects.get(pk=result.ticket)
    assert ticket.intake_organisation_id == str(org)
    assert ticket.intake_url == "https://app.trackmyvend.example/ventas"
    assert ticket.intake_browser_os == "Chrome 123, Windows 11"
    assert ticket.completeness == 4


def test_every_part_is_kept_on_the_message_with_its_sniffed_type(world: Any) -> None:
    files = (("pantalla.png", "image/png", PNG), ("factura.pdf", "application/pdf", PDF))

    ticket = Ticket.objects.get(pk=deliver_with(files).ticket)

    message = customer_message(ticket)
    kept = {a.filename: (a.content_type, a.size) for a in message.attachments.all()}
    assert kept == {
        "pantalla.png": ("image/png", len(PNG)),
        "factura.pdf": ("application/octet-stream", len(PDF)),
    }
    stored = message.attachments.get(filename="factura.pdf")
    assert stored.file.read() == PDF


def test_a_file_over_a_quota_is_left_out_with_a_note_and_the_mail_kept(
    world: Any, settings: Any
) -> None:
    settings.SOPORTE_MAX_UPLOAD_BYTES = 100
    files = (("pantalla.png", "image/png", PNG), ("grande.pdf", "application/pdf", PDF))

    result = deliver_with(files)

    assert result.outcome == Outcome.CREATED
    message = customer_message(Ticket.objects.get(pk=result.ticket))
    assert [a.filename for a in message.attachments.all()] == ["pantalla.png"]
    assert "grande.pdf" in message.body
    assert "el tablero de ventas no carga" in message.body


def test_a_reply_counts_the_files_the_ticket_already_holds(world: Any, settings: Any) -> None:
    ticket = Ticket.objects.get(pk=deliver_with((("a.png", "image/png", PNG),)).ticket)
    settings.SOPORTE_MAX_TICKET_UPLOAD_BYTES = len(PNG) + 10

    result = deliver_with((("b.png", "image/png", PNG),), subject=f"[#{ticket.pk}]")

    assert result.outcome == Outcome.APPENDED
    assert Attachment.objects.filter(ticket=ticket).count() == 1
    assert "b.png" in customer_message(ticket).body


def test_a_replys_screenshot_completes_the_intake(world: Any) -> None:
    ticket = Ticket.objects.get(pk=deliver(raw()).ticket)
    before = ticket.completeness

    deliver_with((("c.png", "image/png", PNG),), subject=f"[#{ticket.pk}]")

    ticket.refresh_from_db()
    assert ticket.completeness == before + 1
    assert ticket.timeline.filter(kind=EventKind.INTAKE_UPDATED).exists()


def test_the_quoted_history_is_kept_apart_from_the_new_text(world: Any) -> None:
    quoted = "El lun, 30 nov 2026 a las 10:00, Soporte escribió:\n> ¿Puede enviar una captura?"
    text = f"Ya la envié.\n\n{quoted}"
    mail = replace(parse(raw(body=text)), reply_text="Ya la envié.", quoted_text=quoted)

    result = ingest_mail(mail, received_at=RECEIVED, now=RECEIVED)

    message = customer_message(Ticket.objects.get(pk=result.ticket))
    assert "Ya la envié." in message.body
    assert "captura" not in message.body
    assert "¿Puede enviar una captura?" in message.quoted
    assert result.as_json()["text"] == mail.text


def test_inline_parts_are_no_screenshot(world: Any) -> None:
    logo = Part("logo.png", "image/png", PNG, content_id="logo@x", inline=True)
    mail = replace(parse(raw()), parts=(logo,))

    ticket = Ticket.objects.get(pk=ingest_mail(mail, received_at=RECEIVED, now=RECEIVED).ticket)

    assert customer_message(ticket).attachments.count() == 1
    assert ticket.completeness == 0
