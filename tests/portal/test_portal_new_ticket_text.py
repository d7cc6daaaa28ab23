"""The new-ticket form's example of a good ticket reads as text, without Markdown's backticks,
in Spanish and English."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "words"),
    [("es-mx", "ID de organización d97d3a62-"), ("en", "Org ID d97d3a62-")],
)
def test_the_good_ticket_example_has_no_backticks(world: Any, lang: str, words: str) -> None:
    client = Client()
    client.cookies["soporte_language"] = lang
    client.force_login(world.contacts["pro"].user)
    html = client.get("/portal/tickets/new").content.decode()
    example = html[html.index("<aside>") : html.index("</aside>")]
    assert words in example
    assert "`" not in example
