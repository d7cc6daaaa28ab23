from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_admin_login_is_in_spanish_by_default(client: Client) -> None:
    response = client.get("/admin/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es-mx"' in html
    assert "Nombre de usuario" in html
    assert "Contraseña" in html
    assert "mesa de soporte de TrackMyVend" in html  # our own catalogue (es_MX django.po)


def test_admin_login_is_in_english_for_an_english_browser(client: Client) -> None:
    response = client.get("/admin/login/", headers={"accept-language": "en-US,en;q=0.9"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Username" in html
    assert "Log in" in html
    assert "TrackMyVend support desk" in html


def test_lang_query_parameter_selects_english_and_is_remembered(client: Client) -> None:
    response = client.get("/admin/login/?lang=en")

    assert '<html lang="en"' in response.content.decode()
    assert response.cookies["soporte_language"].value == "en"
    again = client.get("/admin/login/")
    assert '<html lang="en"' in again.content.decode()


def test_language_switch_view_sets_spanish_back(client: Client) -> None:
    client.get("/admin/login/?lang=en")

    client.post("/i18n/setlang/", {"language": "es-mx", "next": "/admin/login/"})

    assert '<html lang="es-mx"' in client.get("/admin/login/").content.decode()
