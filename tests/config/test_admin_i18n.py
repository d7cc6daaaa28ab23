from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

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


TEST_ONLY_MODELS = {"ProbeEffect"}
"""The jobs tests' probe: not shown to people."""
SAME_IN_SPANISH = {"plan", "URL", "SLA", "ticket", "tickets", "email", "CC"}


def test_every_model_and_field_label_of_the_desk_is_in_spanish() -> None:
    from django.apps import apps
    from django.utils.functional import Promise
    from django.utils.translation import override

    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("soporte.") or model.__name__ in TEST_ONLY_MODELS:
            continue
        labels = [("Meta", model._meta.verbose_name), ("Meta", model._meta.verbose_name_plural)]
        labels += [
            (field.name, field.verbose_name)
            for field in model._meta.get_fields()
            if field.concrete and field.name != "id"
        ]
        for name, label in labels:
            with override("es-mx"):
                spanish = str(label)
            with override("en"):
                english = str(label)
            if not isinstance(label, Promise) or (
                spanish == english and english not in SAME_IN_SPANISH
            ):
                untranslated.append(f"{model.__name__}.{name}: {english!r}")
    assert untranslated == []


def test_the_spanish_admin_shows_a_ticket_s_messages_and_timeline_in_spanish(
    client: Client, world: Any
) -> None:
    from soporte.tickets import services
    from soporte.tickets.domain.intake import Intake

    ticket = services.open_ticket(
        requester=world.contacts["pro"],
        channel="email",
        severity="P2",
        subject="Map is blank",
        body="Since the update.",
        intake=Intake(),
        now=timezone.now(),
    )
    client.force_login(world.agents["admin"].user)
    html = client.get(f"/admin/tickets/ticket/{ticket.pk}/change/").content.decode()
    for spanish in ("Mensajes", "Autor (agente)", "Eventos de la línea de tiempo", "Datos"):
        assert spanish in html, spanish
    for english in ("Author agent", "Timeline events", "Actor contact"):
        assert english not in html, english
