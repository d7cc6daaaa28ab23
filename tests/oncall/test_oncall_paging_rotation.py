"""Which rotation takes pages is data (READING §5, issue 9): exactly one rotation is marked, the
first one created; leads move the mark on the console's On call page; several rotations and no
mark pages nobody, and /healthz says so."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from oncall_checks import START

from soporte.escalation.services import paging_rotation
from soporte.oncall.models import Rotation
from soporte.oncall.services import OnCallError, create_rotation, set_paging_rotation

pytestmark = pytest.mark.django_db


def test_the_first_rotation_takes_pages_and_a_second_does_not(world):
    first = create_rotation(
        name="Plataforma", members=[world.agents["t3"]], starts_at=START, now=timezone.now()
    )
    second = create_rotation(
        name="Datos", members=[world.agents["t2"]], starts_at=START, now=timezone.now()
    )
    assert (first.takes_pages, second.takes_pages) == (True, False)
    assert paging_rotation() == first


def test_moving_the_mark_leaves_exactly_one(world):
    first = create_rotation(name="Plataforma", starts_at=START, now=timezone.now())
    second = create_rotation(name="Datos", starts_at=START, now=timezone.now())
    set_paging_rotation(rotation=second)
    assert list(Rotation.objects.filter(takes_pages=True)) == [second]
    assert paging_rotation() == second
    first.refresh_from_db()
    assert not first.takes_pages


def test_two_marks_are_refused_by_the_database_and_by_validation(world):
    create_rotation(name="Plataforma", starts_at=START, now=timezone.now())
    second = create_rotation(name="Datos", starts_at=START, now=timezone.now())
    second.takes_pages = True
    with translation.override("en"), pytest.raises(ValidationError, match="Only one rotation"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_several_rotations_none_marked_pages_nobody_and_healthz_says_so(world, client):
    first = create_rotation(name="Plataforma", starts_at=START, now=timezone.now())
    create_rotation(name="Datos", starts_at=START, now=timezone.now())
    Rotation.objects.filter(pk=first.pk).update(takes_pages=False)  # e.g. unmarked in the shell
    assert paging_rotation() is None
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["paging"] == {"ok": False, "problem": "no paging rotation"}
    set_paging_rotation(rotation=first)
    assert client.get("/healthz").json()["paging"] == {"ok": True}


def test_no_rotation_at_all_is_no_paging_rotation(world, client):
    answer = client.get("/healthz")
    assert answer.status_code == 200  # the desk serves; pages would reach nobody
    assert answer.json()["paging"]["problem"] == "no paging rotation"


def test_an_unsaved_rotation_cannot_take_pages(world):
    with pytest.raises(OnCallError, match="rotation: expected a saved rotation"):
        set_paging_rotation(rotation=Rotation(name="x"))


@pytest.mark.parametrize(
    ("named", "rotations", "marked"),
    [
        ("Datos", ["Plataforma", "Datos"], ["Datos"]),
        ("", ["Plataforma"], ["Plataforma"]),
        ("", ["Plataforma", "Datos"], []),  # ambiguous: a lead chooses
        ("Nadie", ["Plataforma", "Datos"], []),
    ],
)
def test_the_migration_adopts_the_setting_it_replaces(world, monkeypatch, named, rotations, marked):
    from django.apps import apps

    migration = importlib.import_module("soporte.oncall.migrations.0002_rotation_takes_pages")
    for name in rotations:
        create_rotation(name=name, starts_at=START, now=timezone.now())
    Rotation.objects.update(takes_pages=False)
    monkeypatch.setenv("SOPORTE_PAGING_ROTATION", named)
    migration.mark_the_paging_rotation(apps, None)
    assert list(Rotation.objects.filter(takes_pages=True).values_list("name", flat=True)) == marked


def test_with_two_rotations_a_p0_pages_the_primary_of_the_one_that_takes_pages(world):
    from soporte.escalation.models import Page, PageNotification
    from soporte.tickets import services as tickets
    from soporte.tickets.domain.intake import Intake

    create_rotation(
        name="Plataforma", members=[world.agents["t3"]], starts_at=START, now=timezone.now()
    )
    create_rotation(name="Datos", members=[world.agents["t2"]], starts_at=START, now=timezone.now())
    ticket = tickets.open_ticket(
        requester=world.contacts["enterprise"],
        channel="email",
        severity="P0",
        subject="Caído",
        body="Nada carga",
        intake=Intake(),
        received_at=START + timedelta(days=1),
        now=timezone.now(),
    )
    page = Page.objects.get(ticket=ticket)
    assert page.rotation == Rotation.objects.get(name="Plataforma")
    assert PageNotification.objects.get(page=page, target="primary").agent == world.agents["t3"]


def test_the_first_rotation_created_in_the_admin_takes_pages_and_the_mark_is_not_editable_there(
    world,
):
    from django.contrib.auth.models import User
    from django.test import Client

    User.objects.create_superuser("root", "root@trackmyvend.example", "pw-12345678")
    client = Client()
    client.login(username="root", password="pw-12345678")
    form = {
        "name": "Plataforma",
        "zone": "America/Mexico_City",
        "handoff_weekday": "0",
        "handoff_time": "10:00",
        "starts_at_0": "2026-11-30",
        "starts_at_1": "10:00",
        "weeks": "1",
        "created_at_0": "2026-11-30",
        "created_at_1": "10:00",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "takes_pages": "",
    }
    assert client.post("/admin/oncall/rotation/add/", form).status_code == 302
    assert Rotation.objects.get(name="Plataforma").takes_pages
    form["name"] = "Datos"
    form["takes_pages"] = "on"  # not a field there: the mark moves on the On call page
    assert client.post("/admin/oncall/rotation/add/", form).status_code == 302
    assert not Rotation.objects.get(name="Datos").takes_pages
