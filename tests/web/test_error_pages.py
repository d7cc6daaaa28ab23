"""403, 404 and 500 pages in the desk's layout and the reader's language, not Django's bare
English pages (the console's 404 for a ticket the agent may not see was one)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils.translation import override
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def agent_client(world: Any, lang: str) -> Client:
    client = Client()
    client.cookies["soporte_language"] = lang
    client.force_login(world.agents["t1"].user)
    return client


def in_layout(html: str, lang: str) -> None:
    assert f'<html lang="{lang}">' in html
    assert '<header class="topbar">' in html
    assert "/static/soporte/soporte.css" in html


@pytest.mark.parametrize(
    ("lang", "title"), [("es-mx", "No encontramos esta página"), ("en", "Page not found")]
)
def test_a_missing_ticket_in_the_console_is_the_desk_s_404(
    world: Any, lang: str, title: str
) -> None:
    response = agent_client(world, lang).get("/console/tickets/999999")
    assert response.status_code == 404
    html = response.content.decode()
    in_layout(html, lang)
    assert f"<h1>{title}</h1>" in html


@pytest.mark.parametrize(("lang", "title"), [("es-mx", "Sin acceso"), ("en", "Not allowed")])
def test_a_contact_in_the_console_gets_the_desk_s_403(world: Any, lang: str, title: str) -> None:
    client = Client()
    client.cookies["soporte_language"] = lang
    client.force_login(world.contacts["pro"].user)
    response = client.get("/console/")
    assert response.status_code == 403
    html = response.content.decode()
    in_layout(html, lang)
    assert f"<h1>{title}</h1>" in html


@pytest.mark.parametrize(
    ("lang", "title"), [("es-mx", "Algo salió mal"), ("en", "Something went wrong")]
)
def test_the_500_page_is_the_desk_s_in_the_active_language(lang: str, title: str) -> None:
    request = RequestFactory().get("/console/")
    with override(lang):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    in_layout(html, lang)
    assert f"<h1>{title}</h1>" in html
