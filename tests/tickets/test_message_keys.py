"""One mechanism for idempotency keys (READING.md §9): ``selectors.MessageKey`` stored on the
message under one unique constraint, for every entry that takes a key."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from soporte.tickets import bulk, services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Message, Ticket
from soporte.tickets.opening import TicketSpec
from soporte.tickets.selectors import MessageKey, message_key

pytestmark = pytest.mark.django_db

RECEIVED = datetime.fromisoformat("2026-11-27T10:00:00-06:00")


def open_(world, plan: str, key: MessageKey | None):  # type: ignore[no-untyped-def]
    return services.open_ticket(
        requester=world.contacts[plan],
        channel="email",
        severity="P2",
        subject=f"Broken for {plan}",
        body="Nothing loads.",
        intake=Intake(),
        received_at=RECEIVED,
        key=key,
        now=timezone.now(),
    )


def test_a_contacts_keys_are_their_organisations_and_an_agents_its_own(world) -> None:  # type: ignore[no-untyped-def]
    starter, pro = world.contacts["starter"], world.contacts["pro"]
    assert message_key(starter, "x").scope == f"org:{starter.organisation_id}"
    assert message_key(starter, "x") != message_key(pro, "x")
    assert message_key(world.agents["t1"], "x") != message_key(world.agents["t2"], "x")


def test_the_same_id_in_two_scopes_opens_two_tickets_and_a_retry_none(world) -> None:  # type: ignore[no-untyped-def]
    starter = open_(world, "starter", message_key(world.contacts["starter"], "<m1@mail>"))
    pro = open_(world, "pro", message_key(world.contacts["pro"], "<m1@mail>"))
    retry = open_(world, "pro", message_key(world.contacts["pro"], "<m1@mail>"))

    assert starter.pk != pro.pk == retry.pk
    assert Ticket.objects.count() == 2


def test_the_database_refuses_a_key_twice_in_one_scope_only(world) -> None:  # type: ignore[no-untyped-def]
    ticket = open_(world, "pro", MessageKey("whatsapp:+52", "wamid.1"))
    first = Message.objects.get(provider_id="wamid.1")

    first.pk = None
    first.provider_scope = "whatsapp:+53"
    first.save()
    first.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            ticket=ticket,
            kind="public",
            author_kind="customer",
            body="again",
            provider_scope="whatsapp:+52",
            provider_id="wamid.1",
            created_at=RECEIVED,
        )


def test_a_reply_is_idempotent_in_its_scope_and_never_lands_on_another_ticket(world) -> None:  # type: ignore[no-untyped-def]
    contact = world.contacts["pro"]
    first, second = open_(world, "pro", None), open_(world, "pro", None)
    key = message_key(contact, "<r1@mail>")
    message = services.reply(ticket=first, author=contact, body="more", key=key, at=timezone.now())

    assert (
        services.reply(ticket=first, author=contact, body="more", key=key, at=timezone.now())
        == message
    )
    with pytest.raises(services.TicketError, match="another ticket"):
        services.reply(ticket=second, author=contact, body="more", key=key, at=timezone.now())
    other_org = world.contacts["starter"]
    theirs = open_(world, "starter", None)
    assert (
        services.reply(
            ticket=theirs,
            author=other_org,
            body="x",
            key=message_key(other_org, "<r1@mail>"),
            at=timezone.now(),
        )
        != message
    )


def test_the_bulk_loader_refuses_keyed_specs(world) -> None:  # type: ignore[no-untyped-def]
    spec = TicketSpec(
        requester=world.contacts["pro"],
        channel="email",
        severity="P3",
        subject="Imported",
        body="From the old desk",
        received_at=RECEIVED,
        key=MessageKey("import", "old-1"),
    )
    with pytest.raises(services.TicketError, match="message keys"):
        bulk.load([spec], now=RECEIVED)
    assert not Ticket.objects.exists()
