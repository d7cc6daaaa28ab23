"""The portal names the files-per-message quota on its form."""

from __future__ import annotations

from typing import Any

import pytest
from portal_helpers import png, signed_in

from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_portal_form_names_the_files_limit(world: Any, settings: Any) -> None:
    settings.SOPORTE_MAX_FILES_PER_MESSAGE = 3
    client = signed_in(world.contacts["pro"])
    fields = {"subject": "Sin ventas", "severity": "P2", "description": "Nada carga"}

    response = client.post(
        "/portal/tickets/new", {**fields, "screenshots": [png(f"s{i}.png") for i in range(4)]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["screenshots"] == ["Attach at most 3 files at a time."]
    assert not Ticket.objects.exists()
