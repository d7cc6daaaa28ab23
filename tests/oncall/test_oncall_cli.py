"""``soporte oncall who``: in process on the test database, and through the real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from oncall_checks import START

from soporte.config.cli import main
from soporte.oncall.services import add_override, create_rotation


def who(capsys, *args):
    status = main(["oncall", "who", *args])
    out, err = capsys.readouterr()
    return status, out, err


def person(agent):
    return {"id": agent.pk, "name": agent.name, "email": agent.email}


@pytest.mark.django_db
def test_who_prints_the_rotation_the_holders_and_the_stretch(rotation, world, capsys):
    status, out, err = who(capsys, "--at", "2026-12-08T09:00:00-06:00")
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "rotation": "Plataforma",
        "primary": person(world.agents["t2"]),
        "secondary": person(world.agents["lead3"]),
        "shift_start": "2026-12-07T10:00:00-06:00",
        "shift_end": "2026-12-14T10:00:00-06:00",
    }


@pytest.mark.django_db
def test_who_applies_overrides_and_names_the_rotation(rotation, world, capsys):
    create_rotation(name="Otra", starts_at=START, now=timezone.now())
    add_override(
        rotation=rotation,
        role="secondary",
        starts_at=START + timedelta(days=1),
        ends_at=START + timedelta(days=2),
        covering=world.agents["admin"],
        now=timezone.now(),
    )
    status, out, _ = who(capsys, "--rotation", "Plataforma", "--at", "2026-12-01T18:00:00Z")
    answer = json.loads(out)
    assert status == 0
    assert (answer["primary"]["name"], answer["secondary"]["name"]) == ("T3", "ADMIN")
    assert (answer["shift_start"], answer["shift_end"]) == (
        "2026-12-01T10:00:00-06:00",
        "2026-12-02T10:00:00-06:00",
    )


@pytest.mark.django_db
def test_nobody_on_call_is_null(world, capsys):
    create_rotation(name="Vacía", starts_at=START, now=timezone.now())
    status, out, _ = who(capsys, "--at", "2026-12-01T00:00:00Z")
    answer = json.loads(out)
    assert status == 0
    assert (answer["rotation"], answer["primary"], answer["secondary"]) == ("Vacía", None, None)


@pytest.mark.django_db
def test_without_at_it_answers_for_now(rotation, capsys):
    status, out, _ = who(capsys)
    answer = json.loads(out)
    assert status == 0
    assert answer["shift_start"] < answer["shift_end"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "yesterday"], "--at: 'yesterday' is not an ISO 8601 instant"),
        (["--at", "2026-12-01T10:00:00"], "--at: '2026-12-01T10:00:00' has no UTC offset"),
        (
            ["--rotation", "Nope"],
            "--rotation: no rotation named 'Nope' (rotations: Otra, Plataforma)",
        ),
        ([], "--rotation: several rotations exist, name one: Otra, Plataforma"),
    ],
)
def test_bad_arguments_are_named_and_exit_2(rotation, capsys, args, message):
    create_rotation(name="Otra", starts_at=START, now=timezone.now())
    status, out, err = who(capsys, *args)
    assert (status, out) == (2, "")
    assert err.startswith(f"soporte: {message}")
    assert err.count("\n") == 1


@pytest.mark.django_db
def test_without_any_rotation_it_says_so(capsys):
    status, _, err = who(capsys)
    assert status == 2
    assert "no on-call rotation exists yet" in err


def test_the_real_entry_point_refuses_a_bad_instant(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SOPORTE_POLICY"}}
    env |= {"SOPORTE_DATA_DIR": str(tmp_path), "SOPORTE_SECRET_KEY": "test-only"}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("soporte")), "oncall", "who", "--at", "2026-13-01"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert (
        done.stderr == "soporte: --at: '2026-13-01' is not an ISO 8601 instant "
        "(e.g. 2026-11-27T17:40:00-06:00)\n"
    )


@pytest.mark.django_db
def test_feed_prints_a_new_full_address_that_serves_the_calendar(rotation, world, capsys, settings):
    from django.test import Client

    settings.PUBLIC_BASE_URL = "https://soporte.example:8443"
    assert main(["oncall", "feed", "--rotation", "Plataforma"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["oncall", "feed", "--rotation", "Plataforma"]) == 0
    second = capsys.readouterr().out.strip()
    assert first.startswith("https://soporte.example:8443/oncall/calendar/")
    assert first.endswith(".ics")
    path = len(settings.PUBLIC_BASE_URL)
    assert Client().get(first[path:]).status_code == 404
    assert Client().get(second[path:]).status_code == 200
    assert main(["oncall", "feed", "--agent", "T3@TrackMyVend.example"]) == 0
    assert Client().get(capsys.readouterr().out.strip()[path:]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rotation", "Nope"], "--rotation: no rotation named 'Nope'"),
        (["--agent", "nobody@example.com"], "--agent: no agent with email 'nobody@example.com'"),
    ],
)
def test_feed_names_what_it_cannot_find(rotation, capsys, args, message):
    assert main(["oncall", "feed", *args]) == 2
    assert capsys.readouterr().err == f"soporte: {message}\n"


@pytest.mark.django_db
def test_an_override_across_the_handoff_leaves_a_distinct_secondary(world, capsys):
    ana, beto, carla = (world.agents[k] for k in ("t3", "t2", "lead3"))
    rotation = create_rotation(
        name="Plataforma", members=[ana, beto, carla], starts_at=START, now=timezone.now()
    )
    add_override(
        rotation=rotation,
        role="primary",
        starts_at=START + timedelta(days=6, hours=10),  # Sun 6 Dec 20:00 CST
        ends_at=START + timedelta(days=7, hours=4),  # Mon 7 Dec 14:00 CST
        covering=carla,
        covered=ana,
        now=timezone.now(),
    )
    status, out, _ = who(capsys, "--at", "2026-12-07T10:00:00-06:00")
    answer = json.loads(out)
    assert status == 0
    assert (answer["primary"], answer["secondary"]) == (person(carla), person(ana))
