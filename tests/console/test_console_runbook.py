"""The On call page links the runbook for everyone, and asks whoever's first shift on call is
this week (under way, or starting within seven days) to read it first (SUPPORT.md: "A new
on-call reads RUNBOOK.md on their first day")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from console_helpers import client_for
from django.utils import timezone

from soporte.oncall.services import create_rotation

pytestmark = pytest.mark.django_db
URL = "/console/oncall/"
RUNBOOK = "https://trackmyvend.com/RUNBOOK.md"


def notice(world, name: str) -> bool:  # type: ignore[no-untyped-def]
    html = client_for(world, name).get(URL).content.decode()
    assert f'href="{RUNBOOK}" id="runbook-link"' in html
    return 'id="runbook-first-shift"' in html


def test_new_on_calls_are_asked_to_read_the_runbook(world):  # type: ignore[no-untyped-def]
    # Shift 0 (under way): t1 primary, t2 secondary; shift 1 (starts within the week): t2, t3;
    # shift 2 (next week's next): t3, lead1.
    members = [world.agents[name] for name in ("t1", "t2", "t3", "lead1")]
    create_rotation(
        name="Plataforma",
        members=members,
        starts_at=timezone.now() - timedelta(minutes=1),
        now=timezone.now(),
    )
    assert notice(world, "t1")
    assert notice(world, "t2")
    assert notice(world, "t3")
    assert not notice(world, "lead1")  # first shift in more than a week
    assert not notice(world, "lead3")  # in no rotation


def test_someone_who_has_been_on_call_before_is_not_asked_again(world):  # type: ignore[no-untyped-def]
    create_rotation(
        name="Plataforma",
        members=[world.agents["t1"], world.agents["t2"]],
        starts_at=timezone.now() - timedelta(days=21),
        now=timezone.now(),
    )
    assert not notice(world, "t1")
    assert not notice(world, "t2")


def test_without_rotations_only_the_link(world):  # type: ignore[no-untyped-def]
    assert not notice(world, "t1")
