"""Recurrences in the console: "same problem as #N" on a ticket (from a suggestion or by
number) and the list of open recurrences with their disposition form.

Any agent may link tickets; leads, the founder, the CTO, admins and the agents who linked a
recurrence's tickets set its disposition (``feedback.recurrence_selectors.may_dispose``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from soporte.accounts.models import Agent
from soporte.console.access import agent_required
from soporte.console.views import _chrome, _ticket_for
from soporte.feedback import recurrence_selectors, recurrences
from soporte.feedback.domain.dispositions import DispositionError, disposition
from soporte.feedback.models import DispositionChoice
from soporte.tickets.selectors import visible_tickets

FIELD_MESSAGES = {
    "kind": gettext_lazy("Choose a KB article, a product fix or no action."),
    "link": gettext_lazy("A KB article or a product fix needs its link (an http(s) address)."),
    "reason": gettext_lazy("Say why no action is needed."),
}


class SameProblemForm(forms.Form):
    earlier = forms.IntegerField(label=gettext_lazy("Earlier ticket #"), min_value=1)


class DispositionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Disposition"), choices=DispositionChoice.choices)
    link = forms.CharField(label=gettext_lazy("Link (URL)"), required=False, max_length=500)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, max_length=2000, widget=forms.Textarea
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kind" in data:
            try:
                disposition(data["kind"], link=data.get("link", ""), reason=data.get("reason", ""))
            except DispositionError as exc:
                self.add_error(exc.field, str(FIELD_MESSAGES[exc.field]))
        return data


@require_GET
@agent_required
def similar_panel(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """The ticket page's similar-ticket panel, which the page loads once it shows (htmx): the
    search runs once per visit, not on each re-render of the page."""
    ticket = _ticket_for(request, pk)
    panel = recurrence_selectors.ticket_panel(request.user, ticket, now=timezone.now())
    return render(request, "console/_similar.html", {"ticket": ticket, **panel})


@require_POST
@agent_required
def same_problem(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """Link the ticket to an earlier one as the same problem."""
    ticket = _ticket_for(request, pk)
    form = SameProblemForm(request.POST)
    earlier = None
    if form.is_valid():
        earlier = visible_tickets(request.user).filter(pk=form.cleaned_data["earlier"]).first()
    if earlier is None:
        messages.error(request, _("Give the number of an earlier ticket."))
        return redirect("console:ticket", pk=pk)
    try:
        found = recurrences.link_recurrence(
            ticket=ticket, earlier=earlier, actor=agent, at=timezone.now()
        )
    except recurrences.RecurrenceError as exc:
        messages.error(request, _why_not(exc, ticket.pk, earlier.pk))
    else:
        messages.success(
            request,
            _("#%(ticket)s and #%(earlier)s are linked as the same problem (recurrence %(id)s).")
            % {"ticket": ticket.pk, "earlier": earlier.pk, "id": found.pk},
        )
    return redirect("console:ticket", pk=pk)


def _why_not(exc: recurrences.RecurrenceError, ticket: int, earlier: int) -> str:
    numbers = {"ticket": ticket, "earlier": earlier}
    if exc.code == "itself":
        return _("A ticket cannot be linked to itself.")
    if exc.code == "later":
        return _("#%(earlier)s was opened after #%(ticket)s: link to an earlier ticket.") % numbers
    if exc.code == "linked":
        return _("#%(ticket)s and #%(earlier)s are already linked.") % numbers
    if exc.code == "apart":
        return _("#%(ticket)s and #%(earlier)s are in different recurrences.") % numbers
    return _("Someone linked these tickets meanwhile: try again.")


@require_GET
@agent_required
def open_list(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    return _render_list(request, agent)


def _render_list(
    request: HttpRequest,
    agent: Agent,
    *,
    failed: tuple[int, DispositionForm] | None = None,
    status: int = 200,
) -> HttpResponseBase:
    rows = []
    for found in recurrence_selectors.open_recurrences(request.user):
        form = failed[1] if failed is not None and failed[0] == found.pk else DispositionForm()
        rows.append((found, form if recurrence_selectors.may_dispose(agent, found) else None))
    context = {**_chrome(agent, active="recurrences"), "rows": rows}
    return render(request, "console/recurrences.html", context, status=status)


@require_POST
@agent_required
def dispose(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    found = recurrence_selectors.recurrence(request.user, pk)
    if found is None:
        raise Http404
    form = DispositionForm(request.POST)
    if not form.is_valid():
        return _render_list(request, agent, failed=(pk, form), status=422)
    try:
        recurrences.set_recurrence_disposition(
            recurrence=found,
            kind=form.cleaned_data["kind"],
            link=form.cleaned_data["link"],
            reason=form.cleaned_data["reason"],
            actor=agent,
            at=timezone.now(),
        )
    except recurrences.NotAllowed:
        messages.error(
            request, _("Only a lead, an admin or who linked the tickets may dispose of it.")
        )
        return redirect("console:recurrences")
    messages.success(request, _("Recurrence %(id)s disposed of.") % {"id": pk})
    return redirect("console:recurrences")
