"""What a customer's later message supplies of the intake fields a ticket lacks (READING.md
§6): the pure rule, field by field and at its edges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.tickets.domain.intake import Intake, IntakeField, supplied

ORG = "d97d3a62-9278-4ae5-88c1-a3fdc88321bf"
DESK = frozenset({"soporte.trackmyvend.com"})
NOTHING = Intake()


def supply(text: str, intake: Intake = NOTHING, attached: bool = False) -> Intake:
    return supplied(intake, text=text, attached=attached, organisation_id=ORG, own_hosts=DESK)


@pytest.mark.parametrize(
    ("text", "attached", "field", "value"),
    [
        ("", True, IntakeField.SCREENSHOT, True),
        (f"Mi ID es {ORG}.", False, IntakeField.ORGANISATION_ID, ORG),
        (f"ID: {ORG.upper()}", False, IntakeField.ORGANISATION_ID, ORG),
        (f"ID {ORG.replace('-', '')}", False, IntakeField.ORGANISATION_ID, ORG),
        (
            "Estaba en https://app.trackmyvend.com/dashboard?m=4, ",
            False,
            IntakeField.URL,
            "https://app.trackmyvend.com/dashboard?m=4",
        ),
        (
            '<a href="https://app.x.example/m">aquí</a>',
            False,
            IntakeField.URL,
            "https://app.x.example/m",
        ),
        ("Uso Chrome 123 en Windows 11", False, IntakeField.BROWSER_OS, "Chrome 123, Windows 11"),
        ("firefox on ubuntu", False, IntakeField.BROWSER_OS, "firefox, ubuntu"),
        ("Safari en iPad", False, IntakeField.BROWSER_OS, "Safari, iPad"),
        ("Microsoft Edge 120, macOS 14.2", False, IntakeField.BROWSER_OS, "Edge 120, macOS 14.2"),
    ],
)
def test_a_later_message_supplies_a_field(text, attached, field, value):  # type: ignore[no-untyped-def]
    after = supply(text, attached=attached)
    assert after.present() == {field}
    attribute = {
        IntakeField.SCREENSHOT: "has_screenshot",
        IntakeField.ORGANISATION_ID: "organisation_id",
        IntakeField.URL: "url",
        IntakeField.BROWSER_OS: "browser_os",
    }[field]
    assert getattr(after, attribute) == value


@pytest.mark.parametrize(
    "text",
    [
        "Gracias, sigue igual",
        "El ID de la petición es 0b7e1c9a-1111-4222-8333-444455556666",  # not the organisation's
        f"{ORG}0",  # longer than an ID
        "Ver https://soporte.trackmyvend.com/portal/tickets/4",  # the desk's own link, quoted
        "ftp://files.example/x",
        "http://[::1/broken",
        "https://app.x.example/" + "a" * 500,
        "Uso Chrome",  # a browser without an OS
        "En Windows",  # an OS without a browser
        "Chromebook sin navegador",
    ],
)
def test_what_does_not_supply_a_field(text: str) -> None:
    assert supply(text) == Intake()


def test_a_field_already_given_is_never_replaced() -> None:
    given_ = Intake(url="https://app.x.example/a", browser_os="Opera, Linux", organisation_id="x")
    after = supply(f"https://app.x.example/b Chrome on Windows {ORG}", given_, attached=True)
    assert after == Intake(
        url="https://app.x.example/a",
        browser_os="Opera, Linux",
        organisation_id="x",
        has_screenshot=True,
    )


@given(st.text(max_size=300), st.booleans())
def test_a_message_only_ever_adds_fields(text: str, attached: bool) -> None:
    before = Intake(expected="14", actual="0")
    after = supply(text, before, attached)
    assert before.present() <= after.present()
    assert (after.expected, after.actual) == ("14", "0")
    assert supply(text, after, attached) == after  # supplying twice changes nothing more
