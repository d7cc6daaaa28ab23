"""The portal's subject is one line; spaces and invisible characters alone are no subject."""

from __future__ import annotations

import pytest
from portal_helpers import signed_in

from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

FIELDS = {"severity": "P2", "description": "Nada carga", "url": "https://app/x\r\n"}


def test_a_subject_with_line_breaks_is_stored_as_one_line(world) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.contacts["pro"])

    response = client.post("/portal/tickets/new", {**FIELDS, "subject": "Caído\nBcc: x@y"})

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.intake_url) == ("Caído Bcc: x@y", "https://app/x")


@pytest.mark.parametrize("field", ["subject", "description"])
def test_invisible_characters_alone_are_a_form_error(world, field: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.contacts["pro"])
    fields = {**FIELDS, "subject": "Caído", field: "\u200b\u2060\u200b"}

    response = client.post("/portal/tickets/new", fields)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["This field is required."]
    assert not Ticket.objects.exists()
