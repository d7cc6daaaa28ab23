"""The team calendar: ``GET /oncall/calendar/<secret>.ics`` for a rotation and for a person."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from oncall_checks import START

from soporte.accounts.services import create_agent
from soporte.oncall.services import add_override, create_rotation, regenerate_feed_secret

pytestmark = pytest.mark.django_db
# Wed 16 Dec 2026 12:00 CST, in the rotation's third shift
NOW = datetime(2026, 12, 16, 18, tzinfo=UTC)
WEEK = timedelta(days=7)


def fetch(secret, **query):
    with time_machine.travel(NOW, tick=False):
        return Client().get(f"/oncall/calendar/{secret}.ics", query)


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, [
        {
            "uid": str(e["uid"]),
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend"),
            "summary": str(e["summary"]),
            "language": e["summary"].params.get("LANGUAGE"),
        }
        for e in calendar.walk("VEVENT")
    ]


def test_a_rotation_feed_lists_every_shift_in_both_roles(rotation, world):
    add_override(
        rotation=rotation,
        role="primary",
        starts_at=START + 3 * WEEK + timedelta(days=1),
        ends_at=START + 3 * WEEK + timedelta(days=2),
        covering=world.agents["t1"],
        now=timezone.now(),
    )
    _, secret = regenerate_feed_secret(rotation=rotation, now=timezone.now())
    calendar, feed = events(fetch(secret, lang="en"))
    assert str(calendar["x-wr-calname"]) == "On call: Plataforma"
    # four weeks back is before the rotation's start, 26 weeks ahead ends mid-shift
    assert min(e["start"] for e in feed) == START
    assert max(e["end"] for e in feed) == NOW + 26 * WEEK
    lines = fetch(secret).content.decode().splitlines()
    times = [line for line in lines if line.startswith(("DTSTART", "DTEND"))]
    assert len(times) == 2 * len(feed)
    assert all(line.endswith("Z") and ";" not in line for line in times)  # UTC, no TZID
    assert "DTSTART:20261130T160000Z" in times
    first_week = sorted((e["summary"], e["start"], e["end"]) for e in feed if e["start"] == START)
    assert first_week == [
        ("Primary on call: T3", START, START + WEEK),
        ("Secondary on call: T2", START, START + WEEK),
    ]
    covered = [e for e in feed if START + 3 * WEEK <= e["start"] < START + 4 * WEEK]
    assert sorted((e["summary"], e["start"]) for e in covered) == [
        ("Primary on call: T1", START + 3 * WEEK + timedelta(days=1)),
        ("Primary on call: T3", START + 3 * WEEK),
        ("Primary on call: T3", START + 3 * WEEK + timedelta(days=2)),
        ("Secondary on call: T2", START + 3 * WEEK),
    ]
    # the primary is someone at every instant of the range after the start
    primaries = sorted((e["start"], e["end"]) for e in feed if "Primary" in e["summary"])
    assert all(a[1] == b[0] for a, b in itertools.pairwise(primaries))
    assert {e["language"] for e in feed} == {"en"}


def test_uids_are_unique_and_stable_across_fetches(rotation):
    _, secret = regenerate_feed_secret(rotation=rotation, now=timezone.now())
    _, first = events(fetch(secret))
    _, second = events(fetch(secret))
    uids = [e["uid"] for e in first]
    assert len(set(uids)) == len(uids)
    assert uids == [e["uid"] for e in second]
    assert f"oncall-{rotation.pk}-0-primary-20261130T160000Z@soporte" in uids


def test_a_rotation_feed_is_in_spanish_unless_asked(rotation):
    _, secret = regenerate_feed_secret(rotation=rotation, now=timezone.now())
    _, feed = events(fetch(secret))
    assert {e["language"] for e in feed} == {"es-mx"}
    _, feed = events(fetch(secret, lang="en"))
    assert {e["language"] for e in feed} == {"en"}


def test_a_person_feed_lists_their_shifts_across_rotations(rotation, world):
    t3 = world.agents["t3"]
    other = create_rotation(
        name="Datos", members=[world.agents["t1"], t3], starts_at=START, now=timezone.now()
    )
    _, secret = regenerate_feed_secret(agent=t3, now=timezone.now())
    calendar, feed = events(fetch(secret, lang="en"))
    assert str(calendar["x-wr-calname"]) == "On-call shifts: T3"
    first_week = sorted(e["summary"] for e in feed if e["start"] == START)
    assert first_week == ["Primary on call (Plataforma)", "Secondary on call (Datos)"]
    assert all(("Plataforma" in e["summary"]) != ("Datos" in e["summary"]) for e in feed)
    assert {e["language"] for e in feed} == {"en"}
    # nobody else's shifts
    plataforma = [e for e in feed if "Plataforma" in e["summary"]]
    assert [e["start"] for e in plataforma if "Primary" in e["summary"]][:2] == [
        START,
        START + 3 * WEEK,
    ]
    assert other.pk != rotation.pk


def test_a_person_feed_reads_every_rotation_at_once(rotation, world, django_assert_num_queries):
    t3 = world.agents["t3"]
    _, secret = regenerate_feed_secret(agent=t3, now=timezone.now())
    with CaptureQueriesContext(connection) as one:
        events(fetch(secret))
    for name in ("Datos", "Pagos", "Móvil"):
        more = create_rotation(
            name=name, members=[world.agents["t1"], t3], starts_at=START, now=timezone.now()
        )
        add_override(
            rotation=more,
            role="primary",
            starts_at=NOW,
            ends_at=NOW + WEEK,
            covering=t3,
            now=timezone.now(),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        _, feed = events(fetch(secret))
    assert len({e["summary"] for e in feed}) == 8  # two roles in each of four rotations


def test_a_person_feed_speaks_the_agents_language(rotation):
    english = create_agent(email="kim@trackmyvend.example", name="Kim", tier="T3", locale="en")
    rotation.members.create(agent=english, layer=1, position=9)
    _, secret = regenerate_feed_secret(agent=english, now=timezone.now())
    _, feed = events(fetch(secret))
    assert feed
    assert {e["language"] for e in feed} == {"en"}
    _, feed = events(fetch(secret, lang="es"))
    assert {e["language"] for e in feed} == {"es-mx"}


@pytest.mark.parametrize(
    "secret",
    [
        "A" * 43,  # well-formed, unknown
        "short",
        "not*a*secret*not*a*secret*not*a*secret",
    ],
)
def test_an_unknown_secret_is_a_404(rotation, secret):
    regenerate_feed_secret(rotation=rotation, now=timezone.now())
    assert fetch(secret).status_code == 404


def test_a_regenerated_secret_retires_the_old_address(rotation):
    _, old = regenerate_feed_secret(rotation=rotation, now=timezone.now())
    _, new = regenerate_feed_secret(rotation=rotation, now=timezone.now())
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
