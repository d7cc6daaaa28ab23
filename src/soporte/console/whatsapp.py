"""The console's WhatsApp controls on a ticket: how replies go while the conversation's 24-hour
window is closed (an approved template, or email)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from soporte.accounts.models import Agent
from soporte.channels.whatsapp import services as whatsapp
from soporte.console.access import agent_required
from soporte.tickets import selectors
from soporte.tickets.services import TicketError


class ClosedWindowForm(forms.Form):
    choice = forms.CharField(label=gettext_lazy("Reply by"), max_length=120)
    """``email``, or ``template:<name>``."""


@require_POST
@agent_required
def closed_window_route(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    ticket = get_object_or_404(selectors.visible_tickets(request.user), pk=pk)
    if not selectors.may_work(request.user, ticket):
        return redirect("console:ticket", pk=pk)
    form = ClosedWindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a template or email."))
        return redirect("console:ticket", pk=pk)
    route, _colon, template = form.cleaned_data["choice"].partition(":")
    try:
        whatsapp.choose_closed_window_route(
            ticket=ticket, route=route, template=template, actor=agent
        )
    except TicketError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Replies go that way while the WhatsApp window is closed."))
    return redirect("console:ticket", pk=pk)
