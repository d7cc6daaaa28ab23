"""Who wrote it, for every channel (READING.md §9, "Unidentified senders").

A sender is a known contact (by address, in any case); else, when the address's domain is one
of an organisation's email domains, a new contact of that organisation; else a new contact of
the one *unidentified senders' place* (an organisation on the Starter plan), where their
tickets wait at T1 until an agent links them to an organisation (:func:`link_to_organisation`:
the contact moves, its tickets change organisation and plan, READING.md §2).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from soporte import phones
from soporte.accounts import services as accounts
from soporte.accounts.models import (
    Agent,
    Contact,
    EmailDomain,
    Language,
    Organisation,
    Plan,
    email_is,
)
from soporte.db.prepared import Prepared
from soporte.tickets import services as tickets
from soporte.tickets import timeline
from soporte.tickets.models import EventKind, Ticket

UNIDENTIFIED_NAME = "Unidentified senders"
"""The unidentified senders' place's name (the console shows its own, translated, label)."""


def unidentified_place() -> Organisation:
    """The organisation that holds unidentified senders, made on first use."""
    place, _ = Organisation.objects.get_or_create(
        unidentified=True, defaults={"name": UNIDENTIFIED_NAME, "plan": Plan.STARTER}
    )
    return place


def known_contact(address: str) -> Contact | None:
    """The contact whose address ``address`` is (case-insensitive)."""
    return _CONTACT.first(address.strip().lower())


_CONTACT = Prepared(
    lambda address: Contact.objects.select_related("organisation", "user").filter(
        email_is(address)
    )[:1],
    "sample@contact.example",
)


def domain_owner(address: str) -> Organisation | None:
    """The organisation one of whose email domains is ``address``'s."""
    domain = address.rpartition("@")[2].strip().lower()
    held = EmailDomain.objects.select_related("organisation").filter(domain=domain).first()
    return held.organisation if held else None


def new_contact(
    *, organisation: Organisation, address: str, name: str, language: str = ""
) -> Contact:
    """A contact of ``organisation`` for ``address``: named ``name`` (else the address's local
    part), in ``language`` when it is one the desk speaks (else the organisation's)."""
    return accounts.create_contact(
        organisation=organisation,
        email=address,
        name=(name.strip() or address.partition("@")[0])[:200],
        locale=language if language in Language.values else organisation.locale,
    )


def contact_for(address: str, *, name: str, language: str = "") -> Contact:
    """Who ``address`` is: a known contact, else a new one of the organisation owning its
    domain, else a new one in the unidentified senders' place."""
    known = known_contact(address)
    if known is not None:
        return known
    organisation = domain_owner(address) or unidentified_place()
    return new_contact(organisation=organisation, address=address, name=name, language=language)


def link_to_organisation(
    *, ticket: Ticket, organisation: Organisation, actor: Agent, add_domain: bool, at: datetime
) -> Ticket:
    """An agent says who the unidentified sender of ``ticket`` is: its requester becomes a
    contact of ``organisation`` (whose email domains gain the sender's, with ``add_domain``),
    and each of the requester's tickets in the unidentified place moves there, with a timeline
    event, its plan changing through ``tickets.change_plan`` (the new target from the original
    start, READING.md §2). Raises ``TicketError`` or ``accounts.DomainRefused``."""
    if organisation.unidentified:
        raise tickets.TicketError("link the ticket to a customer's organisation")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("requester").get(pk=ticket.pk)
        place = Organisation.objects.filter(pk=ticket.organisation_id, unidentified=True).first()
        if place is None:
            raise tickets.TicketError(f"ticket #{ticket.pk}'s sender is already identified")
        contact = ticket.requester
        if add_domain:
            accounts.add_email_domain(
                organisation=organisation, domain=contact.email.rpartition("@")[2]
            )
        contact.organisation = organisation
        contact.save(update_fields=["organisation"])
        for moved in Ticket.objects.filter(requester=contact, organisation=place).order_by("pk"):
            moved.organisation = organisation
            moved.save(update_fields=["organisation"])
            timeline.record(
                moved,
                EventKind.ORGANISATION_CHANGED,
                at=at,
                actor=actor,
                old=place.name,
                new=organisation.name,
                organisation=str(organisation.pk),
            )
            tickets.change_plan(ticket=moved, plan=organisation.plan, actor=actor, at=at)
    ticket.refresh_from_db()
    return ticket


def contact_by_phone(number: str) -> Contact | None:
    """The contact whose phone is ``number`` (any written form of the same line), the most
    recently added when several share it."""
    line = phones.e164(number)
    if line is None:
        return None
    found = Contact.objects.select_related("organisation", "user").filter(phone_e164=line)
    return found.order_by("-pk").first()


def contact_for_phone(number: str, *, name: str, language: str = "") -> Contact:
    """Who ``number`` is: a known contact, else a new contact without an email address in the
    unidentified senders' place (its username is ``tel:<E.164>``). Raises ``ValueError`` for a
    number that is not valid."""
    known = contact_by_phone(number)
    if known is not None:
        return known
    line = phones.e164(number)
    if line is None:
        raise ValueError(f"{number!r} is not a valid phone number")
    return contact_without_address(
        username=f"tel:{line}",
        organisation=unidentified_place(),
        name=name.strip() or line,
        phone=line,
        language=language,
    )


def contact_without_address(
    *, username: str, organisation: Organisation, name: str, phone: str = "", language: str = ""
) -> Contact:
    """The contact known by ``username`` (a channel's id for someone with no email address:
    ``tel:…``, ``whatsapp:…``, ``slack:…``), made in ``organisation`` on first use, in
    ``language`` when the desk speaks it (else the organisation's); once, even when two
    messages of theirs arrive together."""
    found = Contact.objects.select_related("organisation", "user")
    known = found.filter(user__username=username).first()
    if known is not None:
        return known
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=username, email="")
            return Contact.objects.create(
                user=user,
                organisation=organisation,
                name=name[:200],
                phone=phone,
                locale=language if language in Language.values else organisation.locale,
            )
    except IntegrityError:  # made meanwhile by a concurrent message
        return found.get(user__username=username)
