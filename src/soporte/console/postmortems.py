"""The post-mortem pages: the list (``/console/postmortems``: due, overdue, written) and a
ticket's post-mortem editor (``/console/tickets/<pk>/postmortem``): its text, its timeline
filled in from the ticket's events (in the document's language, times by ``soporte.dates``),
both clocks' outcomes and its action items. Every agent may read; T3, leads, the founder, the
CTO and admins write (``feedback.postmortems.may_edit``; others get 403 on a change)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soporte.accounts.models import Agent, Language
from soporte.console.access import agent_required
from soporte.console.presenters import CLOCK_STATUSES, clock_kind_label, describe
from soporte.console.views import _chrome
from soporte.dates import short_when
from soporte.feedback import postmortem_selectors as selectors
from soporte.feedback import postmortems
from soporte.feedback.models import PostMortem
from soporte.policy import default_policy
from soporte.sla.selectors import clock_views
from soporte.tickets.models import Ticket, TimelineEvent
from soporte.tickets.selectors import visible_tickets


class PostMortemForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea, required=False)
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea, required=False)
    went_well = forms.CharField(label=_("What went well"), widget=forms.Textarea, required=False)


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=500)
    fix_url = forms.URLField(label=_("Product fix (link)"), max_length=500, assume_scheme="https")
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Agent.objects.order_by("name"), required=False
    )


@dataclass(frozen=True, slots=True)
class Line:
    when: str
    text: str
    actor: str
    entry: str


def _ticket_and_postmortem(request: HttpRequest, pk: int) -> tuple[Ticket, PostMortem]:
    ticket = get_object_or_404(visible_tickets(request.user), pk=pk)
    postmortem = selectors.postmortem_of(ticket)
    if postmortem is None:
        raise Http404
    return ticket, postmortem


def _editable(request: HttpRequest, agent: Agent, pk: int) -> tuple[Ticket, PostMortem]:
    """``_ticket_and_postmortem`` for a change: 403 for an agent who may only read."""
    found = _ticket_and_postmortem(request, pk)
    if not postmortems.may_edit(agent):
        raise PermissionDenied
    return found


def _timeline(ticket: Ticket, language: str) -> list[Line]:
    """The post-mortem's timeline in ``language``, each line worded as the ticket page words
    the event it was made of."""
    events = {
        e.pk: e
        for e in TimelineEvent.objects.filter(ticket=ticket).select_related(
            "actor_agent", "actor_contact"
        )
    }
    zone = default_policy().calendar.zone
    with override(language):
        return [
            Line(
                short_when(line.at.astimezone(zone)),
                describe(events[line.event]),
                line.actor,
                line.entry.value,
            )
            for line in selectors.postmortem_timeline(ticket)
        ]


def _render(
    request: HttpRequest,
    agent: Agent,
    ticket: Ticket,
    postmortem: PostMortem,
    *,
    form: PostMortemForm | None = None,
    item_form: ActionItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    language = postmortem.language
    with override(language):
        outcomes = [
            (clock_kind_label(view.kind), str(CLOCK_STATUSES[view.status]))
            for view in clock_views(ticket.clocks.all(), now)
        ]
    context: dict[str, Any] = {
        **_chrome(agent, active="postmortems"),
        "ticket": ticket,
        "postmortem": postmortem,
        "standing": selectors.standing_of(postmortem, now=now),
        "timeline": _timeline(ticket, language),
        "outcomes": outcomes,
        "items": selectors.action_items_of(ticket),
        "editor": postmortems.may_edit(agent),
        "form": form
        or PostMortemForm(
            initial={
                "language": language,
                "impact": postmortem.impact,
                "cause": postmortem.cause,
                "went_well": postmortem.went_well,
            }
        ),
        "item_form": item_form or ActionItemForm(),
    }
    return render(request, "console/postmortem.html", context, status=status)


@require_http_methods(["GET", "POST"])
@agent_required
def editor(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """Read the post-mortem; POST saves its text (and publishes it with ``publish``)."""
    ticket, postmortem = _ticket_and_postmortem(request, pk)
    if request.method == "GET":
        return _render(request, agent, ticket, postmortem)
    if not postmortems.may_edit(agent):
        raise PermissionDenied
    form = PostMortemForm(request.POST)
    if not form.is_valid():
        return _render(request, agent, ticket, postmortem, form=form, status=400)
    now = timezone.now()
    try:
        saved = postmortems.save_postmortem(
            postmortem=postmortem, author=agent, at=now, **form.cleaned_data
        )
        if "publish" in request.POST:
            postmortems.publish(postmortem=saved, author=agent, at=now)
    except postmortems.PostMortemError as exc:
        form.add_error(exc.field or None, exc.message)
        postmortem.refresh_from_db()
        return _render(request, agent, ticket, postmortem, form=form, status=400)
    return redirect("console:postmortem", pk=ticket.pk)


@require_POST
@agent_required
def add_item(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    ticket, postmortem = _editable(request, agent, pk)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        try:
            postmortems.add_action_item(
                postmortem=postmortem, author=agent, at=timezone.now(), **form.cleaned_data
            )
            return redirect("console:postmortem", pk=ticket.pk)
        except postmortems.PostMortemError as exc:
            form.add_error(exc.field or None, exc.message)
    return _render(request, agent, ticket, postmortem, item_form=form, status=400)


@require_POST
@agent_required
def remove_item(request: HttpRequest, agent: Agent, pk: int, item: int) -> HttpResponseBase:
    ticket, postmortem = _editable(request, agent, pk)
    if not postmortems.remove_action_item(
        postmortem=postmortem, author=agent, item=item, at=timezone.now()
    ):
        raise Http404
    return redirect("console:postmortem", pk=ticket.pk)


@require_POST
@agent_required
def mark_item(request: HttpRequest, agent: Agent, pk: int, item: int) -> HttpResponseBase:
    ticket, postmortem = _editable(request, agent, pk)
    done = request.POST.get("done") == "1"
    if not postmortems.mark_action_item(
        postmortem=postmortem, author=agent, item=item, done=done, at=timezone.now()
    ):
        raise Http404
    return redirect("console:postmortem", pk=ticket.pk)


@require_GET
@agent_required
def listing(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    pending = selectors.postmortems_due(now=timezone.now())
    context = {
        **_chrome(agent, active="postmortems"),
        "pending": pending,
        "written": selectors.written(),
    }
    return render(request, "console/postmortems.html", context)
