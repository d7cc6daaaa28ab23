"""The unidentified senders' queue (READING.md §9) and the action that links such a sender to
an organisation (``soporte.channels.senders.link_to_organisation``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from soporte.accounts.models import Agent
from soporte.accounts.services import DomainRefused
from soporte.channels import senders
from soporte.console.access import agent_required
from soporte.console.forms import LinkForm
from soporte.console.views import _chrome
from soporte.tickets import selectors
from soporte.tickets.models import UNRESOLVED
from soporte.tickets.services import TicketError

QUEUE_LIMIT = 200
"""The oldest unidentified tickets shown (the queue is small: an agent empties it daily)."""


@require_GET
@agent_required
def queue(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    tickets = (
        selectors.workable_tickets(request.user)
        .filter(organisation__unidentified=True, status__in=UNRESOLVED)
        .select_related("requester__user")
        .order_by("opened_at", "id")[:QUEUE_LIMIT]
    )
    context = {**_chrome(agent, active="unidentified"), "tickets": list(tickets)}
    return render(request, "console/unidentified.html", context)


@require_POST
@agent_required
def link(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    ticket = get_object_or_404(selectors.visible_tickets(request.user), pk=pk)
    if not selectors.may_work(request.user, ticket):
        return redirect("console:ticket", pk=pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the organisation the sender belongs to."))
        return redirect("console:ticket", pk=pk)
    organisation = form.cleaned_data["organisation"]
    try:
        senders.link_to_organisation(
            ticket=ticket,
            organisation=organisation,
            actor=agent,
            add_domain=form.cleaned_data["add_domain"],
            at=timezone.now(),
        )
    except (TicketError, DomainRefused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The sender is now a contact of %(organisation)s.")
            % {"organisation": organisation.name},
        )
    return redirect("console:ticket", pk=pk)
