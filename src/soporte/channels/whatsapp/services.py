"""What an agent changes on a WhatsApp conversation: how replies go while its 24-hour window
is closed (an approved template, or email)."""

from __future__ import annotations

import structlog
from django.db import transaction
from django.utils.translation import gettext as _

from soporte.accounts.models import Agent
from soporte.channels.whatsapp.models import ReplyRoute, WhatsAppTicket
from soporte.channels.whatsapp.outbound import templates
from soporte.tickets.models import Ticket
from soporte.tickets.services import TicketError

log = structlog.get_logger(__name__)


def choose_closed_window_route(
    *, ticket: Ticket, route: str, template: str = "", actor: Agent
) -> WhatsAppTicket:
    """Replies on ``ticket`` go as ``route`` while the window is closed: ``template`` (one of
    the configured approved templates) or ``email`` (the requester needs an address). Raises
    ``TicketError`` naming what is wrong."""
    if route not in ReplyRoute.values:
        raise TicketError(_("Choose a template or email."))
    if route == ReplyRoute.TEMPLATE and template not in templates():
        raise TicketError(
            _("“%(name)s” is not an approved WhatsApp template here.") % {"name": template}
        )
    if route == ReplyRoute.EMAIL and not ticket.requester.email:
        raise TicketError(_("The customer has no email address: send a WhatsApp template."))
    with transaction.atomic():
        conversation = WhatsAppTicket.objects.select_for_update().filter(ticket=ticket).first()
        if conversation is None:
            raise TicketError(_("This ticket is not a WhatsApp conversation."))
        conversation.closed_window_route = route
        conversation.template = template if route == ReplyRoute.TEMPLATE else ""
        conversation.save(update_fields=["closed_window_route", "template"])
    log.info("whatsapp.route_chosen", ticket=ticket.pk, route=route, agent=actor.pk)
    return conversation
