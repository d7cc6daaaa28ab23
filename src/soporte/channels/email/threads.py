"""Which ticket an inbound email continues, and whether its sender may add to it.

The rules, in order (the first that names an existing ticket wins):

1. ``reply_address``: a To or Cc address is a ticket's own reply address, its
   mac checked (``domain.addresses.ticket_of``): a guessed number never matches;
2. ``references``: In-Reply-To, then References from the latest, name a Message-ID we sent
   (``Message.email_message_id``) or received by email (``Message.provider_id``);
3. ``subject_tag``: ``[#N]`` in the subject.

Whatever the rule, the message is added to the ticket only when its sender belongs there
(:func:`belongs`); a sender from elsewhere opens a new ticket linked to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from soporte.accounts.models import Contact
from soporte.channels import senders
from soporte.channels.email.domain.addresses import ticket_of
from soporte.channels.email.domain.message import InboundMail
from soporte.db.prepared import Prepared
from soporte.tickets.models import Message, Ticket
from soporte.tickets.selectors import cc_addresses

SCOPE = "email"
"""The scope of inbound emails' Message-IDs (``tickets.selectors.MessageKey``)."""

_TAG = re.compile(r"\[#([1-9][0-9]{0,17})\]")


@dataclass(frozen=True, slots=True)
class Thread:
    ticket: Ticket
    rule: str
    """``reply_address``, ``references`` or ``subject_tag``."""


def thread_of(mail: InboundMail, *, desk: str, secret: str) -> Thread | None:
    """The ticket ``mail`` continues, and by which rule; ``None`` for a new conversation."""
    for address in (*mail.to, *mail.cc):
        number = ticket_of(address, desk=desk, secret=secret)
        ticket = _ticket(number)
        if ticket is not None:
            return Thread(ticket, "reply_address")
    ticket = _referenced(mail)
    if ticket is not None:
        return Thread(ticket, "references")
    for match in _TAG.finditer(mail.subject):
        ticket = _ticket(int(match.group(1)))
        if ticket is not None:
            return Thread(ticket, "subject_tag")
    return None


def _ticket(number: int | None) -> Ticket | None:
    return None if number is None else _TICKET.first(number)


_TICKET = Prepared(
    lambda number: Ticket.objects.select_related("organisation", "requester__user").filter(
        pk=number
    )[:1],
    1,
)


def _referenced(mail: InboundMail) -> Ticket | None:
    """The ticket of the most direct Message-ID the mail answers (In-Reply-To first, then
    References from the latest)."""
    wanted = list(dict.fromkeys((*mail.in_reply_to, *reversed(mail.references))))
    if not wanted:
        return None
    found = Message.objects.filter(
        Q(email_message_id__in=wanted) | Q(provider_scope=SCOPE, provider_id__in=wanted)
    ).values_list("ticket_id", "email_message_id", "provider_id")
    tickets: dict[str, int] = {}
    for ticket_id, sent, received in found:
        for message_id in (sent, received):
            if message_id:
                tickets[message_id] = ticket_id
    number = next((tickets[m] for m in wanted if m in tickets), None)
    return _ticket(number)


def belongs(ticket: Ticket, mail: InboundMail) -> Contact | None:
    """The contact ``mail``'s sender is on ``ticket``, when they may add to it: its requester,
    a contact of its organisation, or a sender from one of the organisation's email domains or
    copied on the ticket by an agent, and of no other organisation (who becomes its contact
    now). In the unidentified senders' place, the requester only."""
    address = mail.from_address
    requester = ticket.requester
    if requester.email.lower() == address:
        return requester
    organisation = ticket.organisation
    if organisation.unidentified:
        return None
    known = senders.known_contact(address)
    if known is not None:
        return known if known.organisation_id == organisation.pk else None
    owner = senders.domain_owner(address)
    copied = owner is None and address in cc_addresses(ticket)
    if owner != organisation and not copied:
        return None
    return senders.new_contact(
        organisation=organisation, address=address, name=mail.from_name, language=mail.language
    )
