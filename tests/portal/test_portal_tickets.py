"""The customer portal as a contact uses it: file a ticket, read it, reply, mark it solved."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from portal_helpers import png, signed_in

from soporte.dates import long_when
from soporte.jobs import services as jobs
from soporte.tickets import services
from soporte.tickets.acknowledgement import FIELD_LABELS
from soporte.tickets.domain.intake import Intake, IntakeField
from soporte.tickets.models import Attachment, Channel, Status, Ticket

pytestmark = pytest.mark.django_db

FULL = {
    "subject": "Ventas totales hoy shows $0",
    "severity": "P1",
    "description": "The dashboard shows $0 although Reportes lists 14 sales.",
    "url": "https://app.trackmyvend.com/dashboard",
    "expected": "Today's total sales",
    "actual": "$0",
    "browser_os": "Chrome 123 on Mac",
    "started_at": "today around 14:30",
    "started_zone": "America/Mexico_City",
    "still_happening": "yes",
}


def file_ticket(client, **fields):  # type: ignore[no-untyped-def]
    return client.post("/portal/tickets/new", fields)


def test_the_new_ticket_form_prefills_the_org_id_and_the_url_and_shows_the_examples(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["pro"]
    page = signed_in(contact).get("/portal/tickets/new?from=https://app.trackmyvend.com/mapa")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'value="{contact.organisation_id}"' in html
    assert 'value="https://app.trackmyvend.com/mapa"' in html
    assert "Dashboard broken, please fix." in html
    assert "d97d3a62-9278-4ae5-88c1-a3fdc88321bf" in html
    assert 'accept="image/png' in html
    assert "multiple" in html
    for code in ("P0", "P1", "P2", "P3"):
        assert f'value="{code}"' in html
    assert "Nobody can use TrackMyVend" in html


def test_a_contact_files_a_ticket_with_a_screenshot_and_sees_the_promised_due_time(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["pro"]
    client = signed_in(contact)
    fields = dict(FULL, organisation_id=str(contact.organisation_id))
    response = file_ticket(client, **fields, screenshots=[png(), png("second.png")])
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/portal/tickets/{ticket.pk}/received"
    assert (ticket.channel, ticket.severity, ticket.requester) == (Channel.PORTAL, "P1", contact)
    assert ticket.completeness == 7
    assert ticket.intake_started_at == "today around 14:30 (America/Mexico_City)"
    assert sorted(a.content_type for a in ticket.attachments.all()) == ["image/png"] * 2

    page = client.get(response["Location"])
    html = page.content.decode()
    clock = ticket.clocks.get(kind="first_response")
    with translation.override("en"):
        due = long_when(clock.due_at.astimezone(ZoneInfo(contact.time_zone)))
    assert f"#{ticket.pk}" in html
    assert f"We will answer by {due} at the latest" in html
    assert 'id="missing"' not in html


def test_a_bad_upload_is_named_on_the_form_and_keeps_what_was_typed(world):  # type: ignore[no-untyped-def]
    client = signed_in(world.contacts["pro"])
    fake = SimpleUploadedFile("notes.png", b"just some text, not an image", "image/png")
    response = file_ticket(client, **FULL, screenshots=[png(), fake])
    html = response.content.decode()
    assert response.status_code == 200
    assert "notes.png is not a screenshot or recording" in html
    assert 'value="Ventas totales hoy shows $0"' in html
    assert "The dashboard shows $0 although Reportes lists 14 sales." in html
    assert 'value="Chrome 123 on Mac"' in html
    assert 'value="P1" id="id_severity_1" required checked' in html
    assert 'value="yes" id="id_still_happening_0" checked' in html
    assert "choose your screenshots again" in html
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


def test_the_acknowledgement_email_lists_exactly_the_missing_fields(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["starter"]
    client = signed_in(contact)
    response = file_ticket(
        client,
        subject="Map is blank",
        severity="P2",
        description="The map is blank.",
        organisation_id="",
        url="https://app.trackmyvend.com/mapa",
        browser_os="Firefox 128 on Linux",
        still_happening="no",
    )
    ticket = Ticket.objects.get()
    jobs.run_due(worker="t", now=timezone.now())
    [ack] = [m for m in mail.outbox if f"#{ticket.pk}" in m.subject]
    assert ack.to == [contact.email]
    missing = [
        IntakeField.ORGANISATION_ID,
        IntakeField.SCREENSHOT,
        IntakeField.EXPECTED_VS_ACTUAL,
        IntakeField.STARTED_AT,
    ]
    with translation.override(contact.locale):
        for field, label in FIELD_LABELS.items():
            assert (str(label) in ack.body) == (field in missing), field
        page = client.get(response["Location"]).content.decode()
    with translation.override("en"):
        for field, label in FIELD_LABELS.items():
            assert (str(label) in page) == (field in missing), field


def test_the_list_shows_the_organisations_tickets_newest_first_and_filters_by_status(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["pro"]
    colleague = world.contacts["pro"].organisation.contacts.create(
        user=type(contact.user).objects.create_user("luis@pro.example", "luis@pro.example"),
        name="Luis",
    )
    first = _open(contact, "First problem")
    second = _open(colleague, "Colleague's problem")
    _open(world.contacts["starter"], "Another org's problem")
    services.change_status(ticket=first, status=Status.SOLVED, actor=contact, at=timezone.now())

    html = signed_in(contact).get("/portal/").content.decode()
    assert html.index("Colleague&#x27;s problem") < html.index("First problem")
    assert "Another org" not in html
    assert "Due by" in html

    solved = signed_in(contact).get("/portal/?status=solved").content.decode()
    assert "First problem" in solved
    assert "Colleague" not in solved
    unresolved = signed_in(contact).get("/portal/?status=unresolved").content.decode()
    assert f"/portal/tickets/{second.pk}" in unresolved
    assert "First problem" not in unresolved


def test_the_detail_shows_the_public_conversation_and_never_internal_notes(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["pro"]
    ticket = _open(contact, "Sales missing")
    agent = world.agents["t1"]
    note_file = png("internal-diagram.png")
    services.reply(
        ticket=ticket,
        author=agent,
        body="SECRET-NOTE: customer on old firmware",
        public=False,
        uploads=[note_file],
        at=timezone.now(),
    )
    services.reply(ticket=ticket, author=agent, body="We are looking into it.", at=timezone.now())

    html = signed_in(contact).get(f"/portal/tickets/{ticket.pk}").content.decode()
    assert "We are looking into it." in html
    assert "SECRET-NOTE" not in html
    assert "internal-diagram.png" not in html
    assert "Automatic message" in html
    assert "TrackMyVend support (T1)" in html
    assert "Answered" in html


def test_mark_solved_then_a_reply_reopens_the_ticket(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["pro"]
    ticket = _open(contact, "Export fails")
    client = signed_in(contact)
    assert client.post(f"/portal/tickets/{ticket.pk}/solve")["Location"] == (
        f"/portal/tickets/{ticket.pk}"
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED
    assert "Mark solved" not in client.get(f"/portal/tickets/{ticket.pk}").content.decode()

    response = client.post(
        f"/portal/tickets/{ticket.pk}/reply",
        {"body": "It is back again.", "uploads": [png()]},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    last = ticket.messages.last()
    assert last is not None
    assert "It is back again." in last.body
    assert last.attachments.count() == 1


def test_an_empty_reply_is_refused_with_a_message(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["pro"]
    ticket = _open(contact, "Export fails")
    response = signed_in(contact).post(f"/portal/tickets/{ticket.pk}/reply", {"body": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_agents_are_sent_to_the_console_and_anonymous_visitors_to_sign_in(world):  # type: ignore[no-untyped-def]
    assert signed_in(world.agents["t1"]).get("/portal/")["Location"] == "/console/"
    response = signed_in(world.contacts["pro"]).get("/login/")
    assert response["Location"] == "/portal/"
    assert Client().get("/portal/tickets/new")["Location"] == "/login/?next=/portal/tickets/new"


def test_the_portal_speaks_mexican_spanish_by_default(world):  # type: ignore[no-untyped-def]
    contact = world.contacts["pro"]
    ticket = _open(contact, "Export fails")
    client = Client()
    client.force_login(contact.user)
    for url in (
        "/portal/",
        "/portal/tickets/new",
        f"/portal/tickets/{ticket.pk}",
        f"/portal/tickets/{ticket.pk}/received",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert '<html lang="es-mx">' in page.content.decode(), url


def _open(contact, subject):  # type: ignore[no-untyped-def]
    return services.open_ticket(
        requester=contact,
        channel=Channel.PORTAL,
        severity="P2",
        subject=subject,
        body="Details.",
        intake=Intake(),
        now=timezone.now(),
    )
