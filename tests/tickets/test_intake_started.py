"""When the issue started (READING.md §6, "time and timezone"): the first time written with
its zone in a customer's message, as written; a time without a zone is not enough."""

from __future__ import annotations

import pytest

from soporte.tickets.domain.intake import MAX_STARTED_AT, Intake, IntakeField, started_at, supplied

ORG = "d97d3a62-9278-4ae5-88c1-a3fdc88321bf"


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("Falla desde las 9:30 hora del centro.", "9:30 hora del centro"),
        ("It's broken since 10am CST", "10am CST"),
        ("Pasó hoy a las 14:00 (CDMX) y sigue", "hoy a las 14:00 (CDMX)"),
        ("Started around 14:30 CST today.", "14:30 CST today"),
        ("ayer 23:50 PST", "ayer 23:50 PST"),
        ("Desde las 8:15 tiempo del centro de México", "8:15 tiempo del centro de México"),
        ("A las 9:30 hora de la Ciudad de México", "9:30 hora de la Ciudad de México"),
        ("at 10:30 Central Time", "10:30 Central Time"),
        ("around 9pm ET", "9pm ET"),
        ("10:00 a.m. CST", "10:00 a.m. CST"),
        ("14:00 hrs CDMX", "14:00 hrs CDMX"),
        ("14:00 GMT-6", "14:00 GMT-6"),
        ("10:00 America/Mexico_City", "10:00 America/Mexico_City"),
        ("9:30 CST, hoy", "9:30 CST, hoy"),
        ("log: 2026-12-02T14:30:00-06:00 error", "2026-12-02T14:30:00-06:00"),
        ("log: 2026-12-02T20:30Z", "2026-12-02T20:30Z"),
        ("el 2026-12-02 14:30 UTC", "2026-12-02 14:30 UTC"),
        ("2/12/2026 9:30 CST", "2/12/2026 9:30 CST"),
        ("primero 9:00 CST, luego 10:00 PST", "9:00 CST"),  # the first
        ("a las   9:30\n hora del\tcentro", "9:30 hora del centro"),  # one line
    ],
)
def test_a_time_with_its_zone(text: str, mention: str) -> None:
    assert started_at(text) == mention


@pytest.mark.parametrize(
    "text",
    [
        "Empezó a las 9:30",  # no zone
        "Chrome 123 en Windows 11 10:00",
        "error 500 CST",  # no time
        "25:00 CST",
        "9 CST",  # an hour alone is not a time
        "the 9pm et al. report",  # "et" is no zone in lower case
        "versión 10:30beta",
        "",
    ],
)
def test_no_time_with_a_zone(text: str) -> None:
    assert started_at(text) == ""


def test_a_long_mention_is_cut_to_the_field() -> None:
    text = "9:30 hora del centro" + ", de hoy" + " " * 200
    assert len(started_at(text * 10)) <= MAX_STARTED_AT


def test_a_later_message_supplies_when_it_started_unless_given() -> None:
    text = "Sigue en cero desde las 9:30 hora del centro"
    after = supplied(Intake(), text=text, attached=False, organisation_id=ORG)
    assert after == Intake(started_at="9:30 hora del centro")
    assert after.present() == {IntakeField.STARTED_AT}
    given = Intake(started_at="ayer, 14:30 CST")
    assert supplied(given, text=text, attached=False, organisation_id=ORG) == given


@pytest.mark.django_db
def test_a_customers_reply_stores_when_it_started(world) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from soporte.tickets import services
    from soporte.tickets.models import EventKind

    ana = world.contacts["pro"]
    opened = datetime.fromisoformat("2026-11-30T09:00:00-06:00")
    ticket = services.open_ticket(
        requester=ana,
        channel="email",
        severity="P2",
        subject="Tablero en cero",
        body="El tablero muestra $0.",
        intake=Intake(),
        received_at=opened,
        now=opened,
    )
    replied = datetime.fromisoformat("2026-11-30T09:40:00-06:00")
    services.reply(ticket=ticket, author=ana, body="Desde las 9:30 hora del centro", at=replied)
    ticket.refresh_from_db()
    assert (ticket.intake_started_at, ticket.completeness) == ("9:30 hora del centro", 1)
    [updated] = ticket.timeline.filter(kind=EventKind.INTAKE_UPDATED)
    assert updated.data == {"supplied": ["started_at"], "old": 0, "new": 1}
