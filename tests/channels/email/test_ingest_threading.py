"""Which ticket an email continues (reply address, references, subject tag), and who may add
to it: everyone else gets a new ticket linked to the one they wrote to."""

from __future__ import annotations

from typing import Any

import pytest
from ingest_helpers import RECEIVED, deliver, raw, ticket_reply_address

from soporte.accounts import services as accounts
from soporte.accounts.models import Contact
from soporte.channels.email.ingest import Outcome
from soporte.tickets import services
from soporte.tickets.models import AuthorKind, EventKind, Message, Status, Ticket

pytestmark = pytest.mark.django_db


def opened(world: Any) -> Ticket:
    """A ticket Ana (Starter) opened by email."""
    result = deliver(raw(message_id="<first@client.example>"))
    assert result.outcome == Outcome.CREATED
    return Ticket.objects.get(pk=result.ticket)


def acknowledgement_id(ticket: Ticket) -> str:
    ack = ticket.messages.get(author_kind=AuthorKind.SYSTEM)
    assert ack.email_message_id
    return ack.email_message_id


def customer_messages(ticket: Ticket) -> list[Message]:
    return list(ticket.messages.filter(author_kind=AuthorKind.CUSTOMER))


def later(**fields: Any) -> bytes:
    return raw(body="Sigue sin cargar.", **fields)


@pytest.mark.parametrize(
    "rule",
    ["reply_address", "in_reply_to", "references_received", "subject_tag", "address_in_cc"],
)
def test_each_rule_appends_the_requesters_reply(world: Any, rule: str) -> None:
    ticket = opened(world)
    fields = {
        "reply_address": {"to": ticket_reply_address(ticket.pk)},
        "in_reply_to": {"in_reply_to": acknowledgement_id(ticket), "subject": "Re: algo"},
        "references_received": {"references": "<other@x.example> <first@client.example>"},
        "subject_tag": {"subject": f"Re: [#{ticket.pk}] La pantalla"},
        "address_in_cc": {"cc": ticket_reply_address(ticket.pk)},
    }[rule]

    result = deliver(later(**fields))

    assert (result.outcome, result.ticket) == (Outcome.APPENDED, ticket.pk)
    replies = customer_messages(ticket)
    assert [m.author_contact for m in replies] == [world.contacts["starter"]] * 2
    assert "Sigue sin cargar." in replies[1].body
    assert Ticket.objects.count() == 1


def test_the_reply_address_comes_first(world: Any) -> None:
    first, second = opened(world), Ticket.objects.get(pk=deliver(raw()).ticket)

    result = deliver(later(to=ticket_reply_address(second.pk), subject=f"[#{first.pk}]"))

    assert (result.outcome, result.ticket) == (Outcome.APPENDED, second.pk)


@pytest.mark.parametrize("address", ["wrong_mac", "guessed_number"])
def test_a_forged_reply_address_reaches_no_ticket(world: Any, address: str) -> None:
    ticket = opened(world)
    good = ticket_reply_address(ticket.pk)
    local, _, domain = good.partition("@")
    forged = {
        "wrong_mac": f"{local[:-1]}{'0' if local[-1] != '0' else '1'}@{domain}",
        "guessed_number": good.replace(f"+{ticket.pk}-", f"+{ticket.pk + 1}-"),
    }[address]
    other = accounts.create_contact(
        organisation=world.orgs["pro"], email="eve@pro.example", name="Eve"
    )

    result = deliver(later(sender="Eve <eve@pro.example>", to=forged))

    assert result.outcome == Outcome.CREATED
    assert len(customer_messages(ticket)) == 1
    assert Ticket.objects.get(pk=result.ticket).requester == other


def test_a_spoofed_tag_opens_a_new_ticket_linked_to_the_old_one(world: Any) -> None:
    ticket = opened(world)

    result = deliver(later(sender="ana@pro.example", subject=f"Re: [#{ticket.pk}] hola"))

    assert result.outcome == Outcome.CREATED
    new = Ticket.objects.get(pk=result.ticket)
    assert new.requester == world.contacts["pro"]
    assert new.organisation == world.orgs["pro"]
    assert len(customer_messages(ticket)) == 1
    mine = new.timeline.get(kind=EventKind.LINKED).data
    theirs = ticket.timeline.get(kind=EventKind.LINKED).data
    assert (mine["other"], mine["rule"]) == (ticket.pk, "subject_tag")
    assert (theirs["other"], theirs["rule"]) == (new.pk, "subject_tag")


def test_a_foreign_sender_in_the_thread_gets_a_linked_ticket(world: Any) -> None:
    ticket = opened(world)

    result = deliver(
        later(sender="Someone <someone@elsewhere.example>", in_reply_to=acknowledgement_id(ticket))
    )

    assert result.outcome == Outcome.CREATED
    new = Ticket.objects.get(pk=result.ticket)
    assert new.organisation.unidentified
    assert new.timeline.get(kind=EventKind.LINKED).data["other"] == ticket.pk
    assert ticket.timeline.get(kind=EventKind.LINKED).data["rule"] == "references"


def test_a_colleague_of_the_organisation_appends(world: Any) -> None:
    ticket = opened(world)
    colleague = accounts.create_contact(
        organisation=world.orgs["starter"], email="luis@starter.example", name="Luis"
    )

    result = deliver(
        later(sender="Luis <LUIS@starter.example>", to=ticket_reply_address(ticket.pk))
    )

    assert (result.outcome, result.ticket) == (Outcome.APPENDED, ticket.pk)
    assert customer_messages(ticket)[-1].author_contact == colleague


def test_a_sender_from_the_organisations_domain_becomes_its_contact_and_appends(
    world: Any,
) -> None:
    ticket = opened(world)
    accounts.add_email_domain(organisation=world.orgs["starter"], domain="starter.example")

    result = deliver(
        later(sender="Marta Ruiz <marta@starter.example>", subject=f"[#{ticket.pk}] dato")
    )

    assert result.outcome == Outcome.APPENDED
    marta = Contact.objects.get(user__email="marta@starter.example")
    assert (marta.organisation, marta.name) == (world.orgs["starter"], "Marta Ruiz")
    assert customer_messages(ticket)[-1].author_contact == marta


def test_an_address_the_agent_copied_appends_as_a_contact_of_the_organisation(
    world: Any,
) -> None:
    ticket = opened(world)
    services.add_cc(
        ticket=ticket, address="Pepe@Gestoria.example", actor=world.agents["t1"], at=RECEIVED
    )

    result = deliver(
        later(sender="Pepe <pepe@gestoria.example>", in_reply_to=acknowledgement_id(ticket))
    )

    assert (result.outcome, result.ticket) == (Outcome.APPENDED, ticket.pk)
    pepe = Contact.objects.get(user__email="pepe@gestoria.example")
    assert pepe.organisation == world.orgs["starter"]
    assert customer_messages(ticket)[-1].author_contact == pepe


def test_a_copied_address_of_another_organisations_domain_gets_its_own_ticket(
    world: Any,
) -> None:
    ticket = opened(world)
    accounts.add_email_domain(organisation=world.orgs["pro"], domain="pro.example")
    services.add_cc(ticket=ticket, address="bob@pro.example", actor=world.agents["t1"], at=RECEIVED)

    result = deliver(later(sender="Bob <bob@pro.example>", in_reply_to=acknowledgement_id(ticket)))

    assert result.outcome == Outcome.CREATED
    assert Ticket.objects.get(pk=result.ticket).organisation == world.orgs["pro"]


def test_only_the_requester_adds_to_an_unidentified_senders_ticket(db: Any) -> None:
    first = deliver(raw(sender="x@nowhere.example"))
    ticket = Ticket.objects.get(pk=first.ticket)

    stranger = deliver(later(sender="y@nowhere.example", subject=f"[#{ticket.pk}]"))
    own = deliver(later(sender="x@nowhere.example", subject=f"[#{ticket.pk}]"))

    assert stranger.outcome == Outcome.CREATED
    assert (own.outcome, own.ticket) == (Outcome.APPENDED, ticket.pk)


def test_a_reply_to_a_solved_ticket_reopens_it(world: Any) -> None:
    ticket = opened(world)
    services.change_status(
        ticket=ticket, status=Status.SOLVED, actor=world.agents["t1"], at=RECEIVED
    )

    result = deliver(later(to=ticket_reply_address(ticket.pk)))

    assert result.outcome == Outcome.APPENDED
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
