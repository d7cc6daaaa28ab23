"""Who wrote it: a known contact, a new contact of the organisation owning the domain, or the
unidentified senders' place (READING.md §9); and an agent linking such a sender."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation
from ingest_helpers import RECEIVED, deliver, raw

from soporte.accounts import services as accounts
from soporte.accounts.models import Contact, EmailDomain, Organisation
from soporte.channels import senders
from soporte.channels.email.ingest import Outcome
from soporte.sla.models import Clock
from soporte.tickets.models import EventKind, Ticket
from soporte.tickets.services import TicketError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The refusals are read in English (they are translated: the desk speaks Spanish first)."""
    with translation.override("en"):
        yield


def test_a_known_contact_in_any_case_opens_the_ticket(world: Any) -> None:
    result = deliver(raw(sender="Ana <ANA@Starter.Example>"))

    ticket = Ticket.objects.get(pk=result.ticket)
    assert result.outcome == Outcome.CREATED
    assert (ticket.requester, ticket.organisation) == (
        world.contacts["starter"],
        world.orgs["starter"],
    )
    assert (ticket.channel, ticket.severity, ticket.tier) == ("email", "P2", "T1")


def test_the_clock_starts_at_receipt_not_at_the_senders_date(world: Any) -> None:
    result = deliver(raw(date="Tue, 01 Dec 2026 08:00:00 -0600"))

    assert Ticket.objects.get(pk=result.ticket).opened_at == RECEIVED


def test_a_sender_of_an_organisations_domain_becomes_its_contact(world: Any) -> None:
    org = world.orgs["pro"]
    org.locale = "en"
    org.save()
    accounts.add_email_domain(organisation=org, domain="@Pro.Example")

    result = deliver(raw(sender="Bob Smith <bob@pro.example>"))

    bob = Contact.objects.get(user__email="bob@pro.example")
    # He wrote in Spanish: the language of the text wins over the organisation's.
    assert (bob.organisation, bob.name, bob.locale) == (org, "Bob Smith", "es")
    assert Ticket.objects.get(pk=result.ticket).requester == bob


def test_an_unknown_sender_waits_in_the_unidentified_place_on_the_starter_grid(db: Any) -> None:
    first = deliver(raw(sender="nadie@desconocido.example"))
    second = deliver(raw(sender="Nadie <NADIE@desconocido.example>"))

    one, two = Ticket.objects.get(pk=first.ticket), Ticket.objects.get(pk=second.ticket)
    place = Organisation.objects.get(unidentified=True)
    assert (one.organisation, one.plan, one.tier) == (place, "starter", "T1")
    assert one.requester == two.requester
    assert one.requester.name == "nadie"
    assert Contact.objects.filter(organisation=place).count() == 1


def test_linking_moves_the_sender_and_changes_the_plan_from_the_original_start(
    world: Any,
) -> None:
    first = Ticket.objects.get(pk=deliver(raw(sender="carla@nueva.example")).ticket)
    later = RECEIVED + timedelta(hours=1)
    second = Ticket.objects.get(pk=deliver(raw(sender="carla@nueva.example"), at=later).ticket)
    enterprise = world.orgs["enterprise"]
    due_before = Clock.objects.get(ticket=first, kind="first_response").due_at

    senders.link_to_organisation(
        ticket=first,
        organisation=enterprise,
        actor=world.agents["t1"],
        add_domain=True,
        at=later + timedelta(minutes=5),
    )

    for ticket in (first, second):
        ticket.refresh_from_db()
        assert (ticket.organisation, ticket.plan) == (enterprise, "enterprise")
        moved = ticket.timeline.get(kind=EventKind.ORGANISATION_CHANGED)
        assert moved.data["new"] == enterprise.name
        plan = ticket.timeline.get(kind=EventKind.PLAN_CHANGED)
        assert (plan.data["old"], plan.data["new"]) == ("starter", "enterprise")
    clock = Clock.objects.get(ticket=first, kind="first_response")
    assert clock.started_at == RECEIVED
    assert clock.due_at < due_before  # P2: 2 business days → 4 business hours, from the start
    assert Contact.objects.get(user__email="carla@nueva.example").organisation == enterprise
    assert EmailDomain.objects.get(domain="nueva.example").organisation == enterprise


def test_linking_refuses_an_identified_ticket_and_the_place_itself(world: Any) -> None:
    ticket = Ticket.objects.get(pk=deliver(raw()).ticket)
    unknown = Ticket.objects.get(pk=deliver(raw(sender="z@z.example")).ticket)
    t1 = world.agents["t1"]

    with pytest.raises(TicketError, match="already identified"):
        senders.link_to_organisation(
            ticket=ticket, organisation=world.orgs["pro"], actor=t1, add_domain=False, at=RECEIVED
        )
    with pytest.raises(TicketError, match="customer's organisation"):
        senders.link_to_organisation(
            ticket=unknown,
            organisation=unknown.organisation,
            actor=t1,
            add_domain=False,
            at=RECEIVED,
        )


@pytest.mark.parametrize(
    ("domain", "error"),
    [("gmail.com", "public mailbox"), ("not a domain", "not an email domain"), ("a@b", "not")],
)
def test_an_organisation_cannot_take_a_public_or_invalid_domain(
    world: Any, domain: str, error: str
) -> None:
    with pytest.raises(accounts.DomainRefused, match=error):
        accounts.add_email_domain(organisation=world.orgs["pro"], domain=domain)


def test_a_domain_belongs_to_one_organisation(world: Any) -> None:
    accounts.add_email_domain(organisation=world.orgs["pro"], domain="shared.example")

    with pytest.raises(accounts.DomainRefused, match="already belongs to Pro Vending"):
        accounts.add_email_domain(organisation=world.orgs["starter"], domain="SHARED.example")
