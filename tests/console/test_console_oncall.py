"""The console's on-call page: who is on call, this week and the next, overrides, the editor
(leads, founder, CTO, admins), swaps, and each agent's calendar address."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from console_helpers import client_for
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from soporte.accounts import services as accounts
from soporte.dates import short_when
from soporte.escalation.services import paging_rotation
from soporte.oncall.models import CalendarFeed, Override, Rotation
from soporte.oncall.selectors import who_is_on_call
from soporte.oncall.services import add_override, create_rotation

pytestmark = pytest.mark.django_db

URL = "/console/oncall/"
DESK = ZoneInfo("America/Mexico_City")
TIJUANA = ZoneInfo("America/Tijuana")


@pytest.fixture
def rotation(world):  # type: ignore[no-untyped-def]
    """Started at the last handoff: T3 primary and LEAD3 secondary now, swapped next week."""
    return create_rotation(
        name="Plataforma", members=[world.agents["t3"], world.agents["lead3"]], now=timezone.now()
    )


@pytest.fixture
def executives(world):  # type: ignore[no-untyped-def]
    for name, role in (("founder", "founder"), ("cto", "cto")):
        world.agents[name] = accounts.create_agent(
            email=f"{name}@trackmyvend.example",
            name=name.upper(),
            tier="T3",
            role=role,
            password="pw-12345678",
        )
    return world


def page(client: Client, lang: str = "en") -> str:
    response = client.get(URL, {"lang": lang})
    assert response.status_code == 200
    return response.content.decode()


def wall(moment: datetime, zone: ZoneInfo = DESK) -> str:
    """``moment`` as a datetime-local input holds it, in ``zone``."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def shown(moment: datetime, lang: str = "en") -> str:
    with translation.override(lang):
        return short_when(moment.astimezone(DESK))


def soon(days: float = 1) -> datetime:
    """A whole minute ``days`` from now (the form's precision)."""
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def override_data(world: Any, rotation: Any, **changes: Any) -> dict[str, Any]:
    start = soon(1)
    data = {
        "rotation": rotation.pk,
        "role": "primary",
        "covering": world.agents["t1"].pk,
        "covered": world.agents["t3"].pk,
        "starts_at": wall(start),
        "ends_at": wall(start + timedelta(hours=6)),
        "reason": "Mateo at the dentist",
    }
    data.update(changes)
    return data


# --------------------------------------------------------------------------- viewing


@pytest.mark.parametrize("who", ["t1", "t2", "t3", "lead1", "admin"])
def test_every_agent_sees_who_is_on_call_now_and_two_weeks(world, rotation, who):  # type: ignore[no-untyped-def]
    now = who_is_on_call(rotation=rotation, at=timezone.now())
    assert (now.primary, now.secondary) == (world.agents["t3"], world.agents["lead3"])
    html = page(client_for(world, who))
    assert 'href="/console/oncall/" class="active"' in html
    section = html[html.index('id="rotation-') : html.index('id="overrides"')]
    assert re.search(r'class="primary-now">T3<', section)
    assert re.search(r'class="secondary-now">LEAD3<', section)
    assert shown(now.shift_end) in section
    assert "This week" in section
    assert "Next week" in section
    this_week, next_week = section.split("Next week")
    # the rotation hands off weekly: this week T3 then LEAD3, next week the other way round
    assert re.search(r"<td class=\"\">T3</td>\s*<td class=\"\">LEAD3</td>", this_week)
    assert re.search(r"<td class=\"\">LEAD3</td>\s*<td class=\"\">T3</td>", next_week)
    assert 'class="current"' in this_week
    assert "Subscribe to my calendar" in html


def test_a_two_week_shift_is_cut_at_the_end_of_the_week(world, rotation):  # type: ignore[no-untyped-def]
    Rotation.objects.filter(pk=rotation.pk).update(weeks=2)
    html = page(client_for(world, "t1"))
    this_week, next_week = html.split("Next week")
    handoff = shown(rotation.starts_at + timedelta(days=7))
    assert f"<td>{handoff}</td>" in this_week  # the last row of this week ends at its end
    assert f"<td>{handoff}</td>" in next_week  # and the next week's first row starts there
    for week in (this_week, next_week):
        assert re.search(r"<td class=\"\">T3</td>\s*<td class=\"\">LEAD3</td>", week)
        assert not re.search(r'<td class="">LEAD3</td>\s*<td class="">T3</td>', week)


def test_only_leads_founder_cto_and_admins_get_the_editor(executives, rotation):  # type: ignore[no-untyped-def]
    for who in ("t1", "t2", "t3"):
        assert "Add an override" not in page(client_for(executives, who)), who
    for who in ("lead1", "lead2", "lead3", "founder", "cto", "admin"):
        html = page(client_for(executives, who))
        assert "Add an override" in html, who
        assert "Swap shifts" in html, who
        assert '<button type="submit">Add override</button>' in html, who
        assert '<button type="submit">Swap</button>' in html, who
        assert 'id="swap_rotation"' in html, who  # the two forms' ids do not clash


def test_every_console_page_links_to_it(world):  # type: ignore[no-untyped-def]
    html = client_for(world, "t1").get("/console/mine?lang=en").content.decode()
    assert '<a href="/console/oncall/">On call</a>' in html


def test_the_page_reads_every_rotation_at_once(world, rotation, django_assert_num_queries):  # type: ignore[no-untyped-def]
    agents = world.agents
    client = client_for(world, "lead1")
    page(client)  # the first request warms what a process reads once
    add_override(
        rotation=rotation,
        role="primary",
        starts_at=soon(1),
        ends_at=soon(2),
        covering=agents["t1"],
        now=timezone.now(),
    )
    with CaptureQueriesContext(connection) as one:
        page(client)
    for n, (first, second) in enumerate((("t1", "t2"), ("lead1", "admin"), ("t2", "t3"))):
        more = create_rotation(
            name=f"Rotación {n}",
            members=[agents[first]],
            second_layer=[agents[second]],
            now=timezone.now(),
        )
        add_override(
            rotation=more,
            role="secondary",
            starts_at=soon(n + 1),
            ends_at=soon(n + 2),
            covering=agents["lead3"],
            now=timezone.now(),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        html = page(client)
    assert html.count('id="rotation-') == 4


def test_without_rotations_the_page_says_so(world):  # type: ignore[no-untyped-def]
    html = page(client_for(world, "lead1"))
    assert "No rotations yet" in html
    assert "Add an override" not in html  # nothing to override


def test_contacts_and_anonymous_users_cannot_reach_it(world, rotation):  # type: ignore[no-untyped-def]
    contact = Client()
    contact.force_login(world.contacts["pro"].user)
    anonymous = Client()
    assert contact.get(URL).status_code == 403
    assert (
        contact.post("/console/oncall/overrides", override_data(world, rotation)).status_code == 403
    )
    assert contact.post("/console/oncall/calendar").status_code == 403
    assert anonymous.get(URL)["Location"].startswith("/login/")
    for path in ("/console/oncall/overrides", "/console/oncall/calendar"):
        assert anonymous.post(path, override_data(world, rotation))["Location"].startswith(
            "/login/"
        )
    assert not Override.objects.exists()
    assert not CalendarFeed.objects.exists()


def test_the_page_is_spanish_by_default_with_lowercase_names(world, rotation):  # type: ignore[no-untyped-def]
    html = client_for(world, "t1").get(URL).content.decode()
    assert "<h1>Guardia</h1>" in html
    assert "Próximas coberturas" in html
    assert "Esta semana" in html
    assert "Próxima semana" in html
    assert shown(rotation.starts_at, lang="es-mx") in html  # "lun 30 nov 2026, 10:00 CST"
    assert re.search(r"\b(lun|mar|mié|jue|vie|sáb|dom) \d+ [a-z]{3} 20\d\d", html)


# --------------------------------------------------------------------------- editing


def test_a_lead_adds_an_override_entered_in_the_rotation_zone_and_sees_it_in_the_week(world):  # type: ignore[no-untyped-def]
    rotation = create_rotation(
        name="Baja",
        members=[world.agents["t3"], world.agents["lead3"]],
        zone="America/Tijuana",
        now=timezone.now(),
    )
    start = soon(1).replace(minute=0)
    end = start + timedelta(hours=6)
    client = client_for(world, "lead1")
    response = client.post(
        "/console/oncall/overrides?lang=en",
        override_data(world, rotation, starts_at=wall(start, TIJUANA), ends_at=wall(end, TIJUANA)),
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    override = Override.objects.get()
    assert (override.starts_at, override.ends_at) == (start, end)  # typed as Tijuana wall time
    assert (override.covering, override.covered) == (world.agents["t1"], world.agents["t3"])
    assert override.created_by == world.agents["lead1"]
    assert override.reason == "Mateo at the dentist"
    html = page(client)
    assert "Override added: T1 covers Baja." in html
    week = html[html.index('id="rotation-') : html.index('id="overrides"')]
    # shown in the desk's zone (Mexico City), two hours ahead of Tijuana in winter or summer
    assert f"<td>{shown(start)}</td><td>{shown(end)}</td>" in week
    assert re.search(
        r'<td class="overridden">T1 <span class="badge override">override</span>', week
    )
    upcoming = html[html.index('id="overrides"') :]
    assert f'data-override="{override.pk}"' in upcoming
    assert "Mateo at the dentist" in upcoming


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"ends_at": "{start_minus_hour}"}, "End: The end must be after the start."),
        ({"covering": "999999"}, "Covering agent: Unknown agent."),
        ({"rotation": "999999"}, "Rotation: Unknown rotation."),
        ({"covering": ""}, "Covering agent: This field is required."),
        ({"starts_at": "mañana"}, "Start: Enter a date and time (YYYY-MM-DD HH:MM)."),
        (
            {"covered": "{covering}"},
            "Covering for (optional): An agent does not cover for themselves.",
        ),
        (
            {"starts_at": "{yesterday}"},
            "Start: The start is in the past: an override cannot change who was on call.",
        ),
        ({"starts_at": "{two_days_ago}", "ends_at": "{yesterday}"}, "End: The end is in the past."),
        (
            {"role": "boss"},
            "Role: Select a valid choice. boss is not one of the available choices.",
        ),
    ],
)
def test_bad_input_gets_a_message_naming_the_field(world, rotation, changes, problem):  # type: ignore[no-untyped-def]
    start = soon(1)
    values = {
        "start_minus_hour": wall(start - timedelta(hours=1)),
        "covering": str(world.agents["t1"].pk),
        "yesterday": wall(soon(-1)),
        "two_days_ago": wall(soon(-2)),
    }
    data = override_data(world, rotation, starts_at=wall(start))
    data.update({k: str(v).format(**values) for k, v in changes.items()})
    response = client_for(world, "lead1").post("/console/oncall/overrides?lang=en", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The override was not added." in html
    assert problem.replace("'", "&#x27;") in html
    assert not Override.objects.exists()


def test_agents_may_not_add_delete_or_swap(world, rotation):  # type: ignore[no-untyped-def]
    existing = add_override(
        rotation=rotation,
        role="primary",
        starts_at=soon(2),
        ends_at=soon(3),
        covering=world.agents["t2"],
        now=timezone.now(),
    )
    client = client_for(world, "t3")
    assert (
        client.post("/console/oncall/overrides", override_data(world, rotation)).status_code == 403
    )
    assert client.post(f"/console/oncall/overrides/{existing.pk}/delete").status_code == 403
    assert client.post("/console/oncall/swap", {"rotation": rotation.pk}).status_code == 403
    assert list(Override.objects.all()) == [existing]
    html = page(client)
    assert "Delete" not in html  # the upcoming override is listed without the button
    assert f'data-override="{existing.pk}"' in html


def test_the_editor_needs_the_csrf_token(world, rotation):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.agents["lead1"].user)
    assert (
        client.post("/console/oncall/overrides", override_data(world, rotation)).status_code == 403
    )
    assert client.post("/console/oncall/calendar").status_code == 403
    assert not Override.objects.exists()
    assert not CalendarFeed.objects.exists()


def test_a_lead_deletes_an_upcoming_override_but_not_one_in_force(world, rotation):  # type: ignore[no-untyped-def]
    upcoming = add_override(
        rotation=rotation,
        role="secondary",
        starts_at=soon(2),
        ends_at=soon(3),
        covering=world.agents["t2"],
        now=timezone.now(),
    )
    in_force = add_override(
        rotation=rotation,
        role="primary",
        starts_at=soon(-0.1),
        ends_at=soon(1),
        covering=world.agents["t1"],
        now=timezone.now(),
    )
    client = client_for(world, "lead3")
    html = page(client)
    assert f'action="/console/oncall/overrides/{upcoming.pk}/delete"' in html
    assert f'action="/console/oncall/overrides/{in_force.pk}/delete"' not in html
    assert "in force" in html
    response = client.post(f"/console/oncall/overrides/{upcoming.pk}/delete?lang=en")
    assert response.status_code == 302
    assert not Override.objects.filter(pk=upcoming.pk).exists()
    refused = client.post(f"/console/oncall/overrides/{in_force.pk}/delete?lang=en")
    assert refused.status_code == 400
    assert "only an upcoming one can be deleted" in refused.content.decode()
    assert Override.objects.filter(pk=in_force.pk).exists()
    assert client.post("/console/oncall/overrides/999999/delete").status_code == 404


def test_the_cto_swaps_two_ranges_in_one_go(executives, rotation):  # type: ignore[no-untyped-def]
    world = executives
    a, b = soon(1), soon(8)
    data = {
        "rotation": rotation.pk,
        "role": "primary",
        "first": world.agents["t3"].pk,
        "first_starts_at": wall(a),
        "first_ends_at": wall(a + timedelta(days=1)),
        "second": world.agents["lead3"].pk,
        "second_starts_at": wall(b),
        "second_ends_at": wall(b + timedelta(days=1)),
        "reason": "trade",
    }
    client = client_for(world, "cto")
    response = client.post("/console/oncall/swap?lang=en", data)
    assert response.status_code == 302
    given, taken = Override.objects.order_by("starts_at")
    assert (given.covering, given.covered, given.starts_at) == (
        world.agents["lead3"],
        world.agents["t3"],
        a,
    )
    assert (taken.covering, taken.covered, taken.starts_at) == (
        world.agents["t3"],
        world.agents["lead3"],
        b,
    )
    assert "Swap saved: T3 and LEAD3 trade shifts in Plataforma." in page(client)
    same = client.post("/console/oncall/swap?lang=en", {**data, "second": world.agents["t3"].pk})
    assert same.status_code == 400
    assert "Second agent: A swap needs two different agents." in same.content.decode()
    backwards = client.post(
        "/console/oncall/swap?lang=en", {**data, "second_ends_at": wall(b - timedelta(hours=1))}
    )
    assert backwards.status_code == 400
    assert (
        "Second agent gives until: The end must be after the start." in backwards.content.decode()
    )
    assert Override.objects.count() == 2  # a refused swap writes neither half


# --------------------------------------------------------------------------- the calendar


def test_each_agent_gets_a_secret_calendar_address_once(world, rotation):  # type: ignore[no-untyped-def]
    client = client_for(world, "t3")
    response = client.post("/console/oncall/calendar?lang=en")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    url = re.search(r'value="(http://testserver/oncall/calendar/[A-Za-z0-9_-]+\.ics)"', html)
    assert url, html
    assert "This address is secret" in html
    feed = client.get(url.group(1).removeprefix("http://testserver"))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in feed.content  # T3 is on call this week
    later = page(client)
    assert url.group(1) not in later  # shown once
    assert "Make a new calendar address" in later
    again = client.post("/console/oncall/calendar?lang=en").content.decode()
    assert url.group(1) not in again
    assert client.get(url.group(1).removeprefix("http://testserver")).status_code == 404
    assert CalendarFeed.objects.filter(agent=world.agents["t3"]).count() == 1


def test_an_override_that_leaves_no_distinct_secondary_is_saved_with_a_warning(world):  # type: ignore[no-untyped-def]
    rotation = create_rotation(
        name="Solo",
        members=[world.agents["t3"]],
        second_layer=[world.agents["lead3"]],
        now=timezone.now(),
    )
    client = client_for(world, "lead1")
    data = override_data(world, rotation, covering=world.agents["lead3"].pk)
    response = client.post("/console/oncall/overrides?lang=en", data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Override added: LEAD3 covers Solo." in html
    assert "Solo has no secondary other than the primary from" in html
    start = Override.objects.get().starts_at
    assert who_is_on_call(rotation=rotation, at=start).secondary is None


def test_an_override_that_keeps_a_distinct_secondary_warns_nothing(world, rotation):  # type: ignore[no-untyped-def]
    data = override_data(world, rotation, covering=world.agents["lead3"].pk)
    html = client_for(world, "lead1").post(URL + "overrides?lang=en", data, follow=True)
    assert "Override added" in html.content.decode()
    assert "no secondary other than the primary" not in html.content.decode()


# --------------------------------------------------------------------- paging rotation


def test_a_lead_moves_the_mark_on_the_on_call_page_and_an_agent_may_not(world):  # type: ignore[no-untyped-def]
    create_rotation(name="Plataforma", starts_at=timezone.now(), now=timezone.now())
    second = create_rotation(name="Datos", starts_at=timezone.now(), now=timezone.now())
    agent = client_for(world, "t1")
    assert agent.post("/console/oncall/paging", {"rotation": second.pk}).status_code == 403
    lead = client_for(world, "lead1")
    html = lead.get("/console/oncall/?lang=en").content.decode()
    assert "takes pages" in html
    answer = lead.post("/console/oncall/paging?lang=en", {"rotation": second.pk}, follow=True)
    assert "Datos takes pages now." in answer.content.decode()
    assert paging_rotation() == second
    bad = lead.post("/console/oncall/paging?lang=en", {"rotation": "999999"})
    assert bad.status_code == 400
    assert "Rotation: Unknown rotation." in bad.content.decode()


def test_the_on_call_page_warns_when_no_rotation_takes_pages(world):  # type: ignore[no-untyped-def]
    first = create_rotation(name="Plataforma", starts_at=timezone.now(), now=timezone.now())
    create_rotation(name="Datos", starts_at=timezone.now(), now=timezone.now())
    Rotation.objects.filter(pk=first.pk).update(takes_pages=False)
    html = client_for(world, "t1").get("/console/oncall/?lang=en").content.decode()
    assert "No rotation takes pages: every page finds nobody on call." in html


@pytest.mark.parametrize(
    ("ends_at", "problem"),
    [
        ("9999-12-31T23:59", "End: An override lasts at most 90 days."),
        ("{century}", "End: An override lasts at most 90 days."),
        ("{ninety_one_days}", "End: An override lasts at most 90 days."),
    ],
)
def test_an_override_is_bounded_in_length(world, rotation, ends_at, problem):  # type: ignore[no-untyped-def]
    start = soon(1)
    values = {
        "century": wall(start.replace(year=start.year + 100)),
        "ninety_one_days": wall(start + timedelta(days=91)),
    }
    data = override_data(world, rotation, starts_at=wall(start), ends_at=ends_at.format(**values))
    response = client_for(world, "lead1").post("/console/oncall/overrides?lang=en", data)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Override.objects.exists()


def test_an_override_of_exactly_90_days_is_accepted(world, rotation):  # type: ignore[no-untyped-def]
    start = soon(1)
    data = override_data(
        world, rotation, starts_at=wall(start), ends_at=wall(start + timedelta(days=90))
    )
    assert client_for(world, "lead1").post(URL + "overrides", data).status_code == 302


def test_a_swap_span_is_bounded_too(executives, rotation):  # type: ignore[no-untyped-def]
    start = soon(1)
    data = {
        "rotation": rotation.pk,
        "role": "primary",
        "first": executives.agents["t3"].pk,
        "first_starts_at": wall(start),
        "first_ends_at": "9999-12-31T23:00",
        "second": executives.agents["lead3"].pk,
        "second_starts_at": wall(start + timedelta(days=7)),
        "second_ends_at": wall(start + timedelta(days=8)),
    }
    response = client_for(executives, "cto").post("/console/oncall/swap?lang=en", data)
    assert response.status_code == 400
    assert "An override lasts at most 90 days." in response.content.decode()
