"""Nothing of another organisation is reachable, by URL guessing either; attachments are served
only to whoever may see their ticket, with their sniffed type and never sniffed by the browser."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from portal_helpers import png, png_bytes, signed_in

from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Channel, Status

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32


@pytest.fixture
def org_a_ticket(world):  # type: ignore[no-untyped-def]
    """A ticket of the Pro organisation ("org A") with a screenshot and a recording."""
    return services.open_ticket(
        requester=world.contacts["pro"],
        channel=Channel.PORTAL,
        severity="P2",
        subject="Org A secret subject",
        body="Org A details.",
        intake=Intake(),
        uploads=[png(), SimpleUploadedFile("screen.mp4", MP4, "video/mp4")],
        now=timezone.now(),
    )


def urls(ticket):  # type: ignore[no-untyped-def]
    image, video = ticket.attachments.order_by("id")
    return {
        "detail": f"/portal/tickets/{ticket.pk}",
        "received": f"/portal/tickets/{ticket.pk}/received",
        "image": f"/attachments/{image.pk}",
        "video": f"/attachments/{video.pk}",
    }


def test_a_contact_of_another_organisation_gets_404_everywhere(world, org_a_ticket):  # type: ignore[no-untyped-def]
    b = signed_in(world.contacts["starter"])
    for name, url in urls(org_a_ticket).items():
        assert b.get(url).status_code == 404, name
    assert b.post(f"/portal/tickets/{org_a_ticket.pk}/reply", {"body": "hi"}).status_code == 404
    assert b.post(f"/portal/tickets/{org_a_ticket.pk}/solve").status_code == 404
    assert "Org A secret subject" not in b.get("/portal/").content.decode()
    org_a_ticket.refresh_from_db()
    assert org_a_ticket.status == Status.NEW
    assert org_a_ticket.messages.count() == 2  # the customer's and the acknowledgement


def test_the_contacts_own_organisation_sees_it_all(world, org_a_ticket):  # type: ignore[no-untyped-def]
    a = signed_in(world.contacts["pro"])
    for name, url in urls(org_a_ticket).items():
        assert a.get(url).status_code == 200, name
    html = a.get(f"/portal/tickets/{org_a_ticket.pk}").content.decode()
    for url in (urls(org_a_ticket)["image"], urls(org_a_ticket)["video"]):
        assert f'href="{url}"' in html


def test_an_image_is_shown_inline_and_a_recording_downloaded_with_their_sniffed_types(
    world, org_a_ticket
):  # type: ignore[no-untyped-def]
    a = signed_in(world.contacts["pro"])
    image = a.get(urls(org_a_ticket)["image"])
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Disposition"].startswith("inline")
    assert b"".join(image.streaming_content) == png_bytes()
    video = a.get(urls(org_a_ticket)["video"])
    assert video["Content-Type"] == "video/mp4"
    assert video["Content-Disposition"] == 'attachment; filename="screen.mp4"'
    assert video["X-Content-Type-Options"] == "nosniff"


def test_agents_download_what_they_read_and_anonymous_visitors_sign_in(world, org_a_ticket):  # type: ignore[no-untyped-def]
    url = urls(org_a_ticket)["image"]
    assert signed_in(world.agents["t1"]).get(url).status_code == 200
    assert signed_in(world.agents["lead3"]).get(url).status_code == 200
    services.escalate(
        ticket=org_a_ticket, actor=world.agents["t1"], reason="needs logs", at=timezone.now()
    )
    assert signed_in(world.agents["t1"]).get(url).status_code == 200  # agents read every ticket
    assert signed_in(world.agents["t2"]).get(url).status_code == 200
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/login/?next={url}"


def test_internal_note_attachments_are_for_agents_only(world, org_a_ticket):  # type: ignore[no-untyped-def]
    note = services.reply(
        ticket=org_a_ticket,
        author=world.agents["t1"],
        body="internal",
        public=False,
        uploads=[png("internal.png")],
        at=timezone.now(),
    )
    url = f"/attachments/{note.attachments.get().pk}"
    assert signed_in(world.contacts["pro"]).get(url).status_code == 404
    assert signed_in(world.agents["t1"]).get(url).status_code == 200
