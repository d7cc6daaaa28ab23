"""Rotations, members, overrides and feed secrets through the services and selectors."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from oncall_checks import START

from soporte.accounts.services import create_agent
from soporte.oncall.models import Override
from soporte.oncall.selectors import feed_for_secret, who_is_on_call
from soporte.oncall.services import (
    OnCallError,
    Span,
    add_override,
    create_rotation,
    regenerate_feed_secret,
    set_members,
    swap,
)

pytestmark = pytest.mark.django_db
WEEK = timedelta(days=7)


def holders(rotation, at):
    now = who_is_on_call(rotation=rotation, at=at)
    return (
        now.primary.name if now.primary else None,
        now.secondary.name if now.secondary else None,
    )


def test_a_new_rotation_takes_zone_handoff_and_start_from_the_policy(world):
    # Thu 3 Dec 2026 12:00 CST: the last handoff was Mon 30 Nov 10:00 CST
    rot = create_rotation(
        name="  Plataforma ", members=[world.agents["t3"]], now=START + timedelta(days=3, hours=2)
    )
    assert (rot.name, rot.zone, rot.handoff_weekday) == ("Plataforma", "America/Mexico_City", 0)
    assert rot.handoff_time == time(10)
    assert rot.weeks == 1
    assert rot.starts_at == START
    assert holders(rot, START) == ("T3", None)


def test_who_walks_the_members_week_by_week(rotation):
    assert [holders(rotation, START + k * WEEK) for k in range(4)] == [
        ("T3", "T2"),
        ("T2", "LEAD3"),
        ("LEAD3", "T3"),
        ("T3", "T2"),
    ]
    now = who_is_on_call(rotation=rotation, at=START + WEEK - timedelta(microseconds=1))
    assert (now.shift_start, now.shift_end) == (START, START + WEEK)
    assert holders(rotation, START - timedelta(seconds=1)) == (None, None)


def test_set_members_replaces_them_in_order_and_a_second_layer_names_secondaries(rotation, world):
    agents = world.agents
    set_members(rotation=rotation, agents=[agents["lead3"], agents["t3"]])
    set_members(rotation=rotation, agents=[agents["admin"]], layer=2)
    assert holders(rotation, START) == ("LEAD3", "ADMIN")
    assert holders(rotation, START + WEEK) == ("T3", "ADMIN")
    with pytest.raises(OnCallError, match="layer"):
        set_members(rotation=rotation, agents=[], layer=3)


def test_an_override_wins_and_the_latest_created_wins_among_overrides(rotation, world):
    agents = world.agents
    at = START + timedelta(days=2)
    add_override(
        rotation=rotation,
        role="primary",
        starts_at=at,
        ends_at=at + timedelta(days=2),
        covering=agents["t1"],
        covered=agents["t3"],
        reason="dentist",
        now=START - timedelta(days=2),
    )
    add_override(
        rotation=rotation,
        role="primary",
        starts_at=at + timedelta(days=1),
        ends_at=at + timedelta(days=6),
        covering=agents["lead1"],
        now=START - timedelta(days=1),
    )
    add_override(
        rotation=rotation,
        role="secondary",
        starts_at=at,
        ends_at=at + timedelta(hours=1),
        covering=agents["admin"],
        now=timezone.now(),
    )
    assert holders(rotation, at) == ("T1", "ADMIN")
    assert holders(rotation, at + timedelta(hours=1)) == ("T1", "T2")
    assert holders(rotation, at + timedelta(days=1)) == ("LEAD1", "T2")
    now = who_is_on_call(rotation=rotation, at=at + timedelta(days=1))
    assert (now.shift_start, now.shift_end) == (at + timedelta(days=1), START + WEEK)
    assert holders(rotation, START + WEEK) == ("LEAD1", "LEAD3")  # crosses the handoff


def test_a_swap_is_two_overrides_written_together(rotation, world):
    t3, t2 = world.agents["t3"], world.agents["t2"]
    given, taken = swap(
        rotation=rotation,
        role="primary",
        first=t3,
        first_span=Span(START, START + WEEK),
        second=t2,
        second_span=Span(START + WEEK, START + 2 * WEEK),
        reason="family trip",
        now=timezone.now(),
    )
    assert (given.covering, given.covered, taken.covering, taken.covered) == (t2, t3, t3, t2)
    assert [holders(rotation, START + k * WEEK)[0] for k in range(3)] == ["T2", "T3", "LEAD3"]


def test_a_failed_swap_writes_nothing(rotation, world):
    with pytest.raises(OnCallError, match="ends_at"):
        swap(
            rotation=rotation,
            role="primary",
            first=world.agents["t3"],
            first_span=Span(START, START + WEEK),
            second=world.agents["t2"],
            second_span=Span(START + WEEK, START + WEEK),
            now=timezone.now(),
        )
    assert not Override.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": START}, "ends_at: must be after starts_at"),
        ({"ends_at": START - WEEK}, "ends_at: must be after starts_at"),
        ({"role": "tertiary"}, "role: expected one of primary, secondary"),
        ({"starts_at": datetime(2026, 12, 1)}, "starts_at: a naive datetime"),  # noqa: DTZ001
        ({"covering": "t1@trackmyvend.example"}, "covering: expected a saved agent"),
        ({"reason": "x" * 301}, "reason"),
        ({"ends_at": START + timedelta(days=90, seconds=1)}, "ends_at: an override lasts at most"),
        ({"ends_at": datetime(9999, 12, 31, tzinfo=UTC)}, "ends_at: an override lasts at most 90"),
    ],
)
def test_a_bad_override_is_refused_naming_the_field(rotation, world, change, message):
    fields = {
        "rotation": rotation,
        "role": "primary",
        "starts_at": START,
        "ends_at": START + WEEK,
        "covering": world.agents["t1"],
    }
    with pytest.raises(OnCallError, match=message):
        add_override(**(fields | change), now=timezone.now())


def test_a_customer_cannot_cover(rotation, world):
    with pytest.raises(OnCallError, match="covering"):
        add_override(
            rotation=rotation,
            role="primary",
            starts_at=START,
            ends_at=START + WEEK,
            covering=world.contacts["pro"],
            now=timezone.now(),
        )


def test_the_database_refuses_an_override_that_ends_before_it_starts(rotation, world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Override.objects.create(
            rotation=rotation,
            role="primary",
            starts_at=START,
            ends_at=START,
            covering=world.agents["t1"],
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "name: must not be blank"),
        ({"name": "Plataforma"}, "name: a rotation named 'Plataforma' exists already"),
        ({"name": "X", "zone": "Mars/Olympus"}, "zone: unknown time zone"),
        ({"name": "X", "handoff_weekday": 9}, "handoff_weekday"),
        ({"name": "X", "starts_at": datetime(2026, 1, 1)}, "starts_at: a naive datetime"),  # noqa: DTZ001
        ({"name": "X", "handoff_time": time(10, tzinfo=UTC)}, "handoff_time: a local wall time"),
    ],
)
def test_a_bad_rotation_is_refused_naming_the_field(rotation, kwargs, message):
    with pytest.raises(OnCallError, match=message):
        create_rotation(**kwargs, now=timezone.now())


def test_a_rotation_may_hand_off_elsewhere(world):
    rot = create_rotation(
        name="Madrid",
        members=[world.agents["t2"], world.agents["t3"]],
        zone="Europe/Madrid",
        handoff_weekday=4,
        handoff_time=time(9),
        now=datetime(2026, 3, 25, tzinfo=UTC),
    )
    assert rot.starts_at == datetime(2026, 3, 20, 8, tzinfo=UTC)  # Fri 09:00 CET
    # the next handoff is after the change to summer time: Fri 27 Mar 09:00 CET
    assert who_is_on_call(rotation=rot, at=rot.starts_at).shift_end == datetime(
        2026, 3, 27, 8, tzinfo=UTC
    )
    # and Fri 3 Apr 09:00 CEST
    assert who_is_on_call(rotation=rot, at=rot.starts_at + WEEK).shift_end == datetime(
        2026, 4, 3, 7, tzinfo=UTC
    )


def test_a_feed_secret_opens_its_feed_until_regenerated(rotation, world):
    feed, secret = regenerate_feed_secret(rotation=rotation, now=timezone.now())
    assert feed_for_secret(secret) == feed
    assert secret not in feed.digest
    again, renewed = regenerate_feed_secret(rotation=rotation, now=timezone.now())
    assert again.pk == feed.pk
    assert feed_for_secret(secret) is None
    assert feed_for_secret(renewed) == feed
    person, mine = regenerate_feed_secret(agent=world.agents["t3"], now=timezone.now())
    assert (person.agent, person.rotation) == (world.agents["t3"], None)
    assert feed_for_secret(mine) == person


def test_a_feed_has_one_owner(rotation, world):
    with pytest.raises(OnCallError, match="either a rotation or an agent"):
        regenerate_feed_secret(now=timezone.now())
    with pytest.raises(OnCallError, match="either a rotation or an agent"):
        regenerate_feed_secret(rotation=rotation, agent=world.agents["t3"], now=timezone.now())


def test_an_agent_in_a_rotation_cannot_be_deleted_from_under_it(rotation, world):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world.agents["t2"].delete()
    extra = create_agent(email="x@trackmyvend.example", name="X", tier="T3")
    extra.delete()


def test_the_admin_refuses_an_override_longer_than_the_bound(rotation, world):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    row = Override(
        rotation=rotation,
        role="primary",
        starts_at=START,
        ends_at=datetime(9999, 12, 31, tzinfo=UTC),
        covering=world.agents["t1"],
    )
    with translation.override("en"), pytest.raises(ValidationError, match="at most 90 days"):
        row.full_clean()
