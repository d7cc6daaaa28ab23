"""Who a phone number is (``channels.senders.contact_by_phone`` and ``contact_for_phone``), for
WhatsApp and the emergency line."""

from __future__ import annotations

from typing import Any

import pytest

from soporte.accounts import services as accounts
from soporte.channels import senders


def test_a_contacts_number_in_any_written_form_finds_them(world: Any) -> None:
    ana = world.contacts["enterprise"]
    ana.phone = "+52 (81) 2698-2507"
    ana.save(update_fields=["phone"])
    for form in ("5218126982507", "+528126982507", "8126982507"):
        assert senders.contact_by_phone(form) == ana
    assert senders.contact_for_phone("5218126982507", name="x") == ana


def test_the_number_is_kept_canonical_from_creation(world: Any) -> None:
    contact = accounts.create_contact(
        organisation=world.orgs["pro"],
        email="luis@pro.example",
        name="Luis",
        phone="(55) 1234 5678",
    )
    contact.refresh_from_db()
    assert contact.phone_e164 == "+525512345678"
    contact.phone = "not a phone"
    contact.save()
    contact.refresh_from_db()
    assert contact.phone_e164 == ""
    assert senders.contact_by_phone("5512345678") is None


def test_an_unknown_number_becomes_an_unidentified_sender_once(world: Any) -> None:
    first = senders.contact_for_phone("+52 1 33 1234 5678", name="Pepe", language="en")
    again = senders.contact_for_phone("3312345678", name="")
    assert again == first
    assert first.organisation.unidentified
    assert first.organisation.plan == "starter"
    assert (first.name, first.phone_e164, first.email, first.locale) == (
        "Pepe",
        "+523312345678",
        "",
        "en",
    )


def test_an_invalid_number_is_refused_by_name(world: Any) -> None:
    assert senders.contact_by_phone("garbage") is None
    with pytest.raises(ValueError, match="'garbage' is not a valid phone number"):
        senders.contact_for_phone("garbage", name="x")
