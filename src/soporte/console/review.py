"""The weekly support review's pages: the weeks (open or closed, item counts), and one week
with its sections, the first being its items with a disposition form each (htmx), and the
"Close the week" action. Leads, the founder, the CTO and admins; other agents get 403.

A week page is a list of :data:`SECTIONS`, each a template and the function that builds its
context: another part of the review (open recurrences, post-mortems due) adds its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from soporte import dates
from soporte.accounts.models import Agent
from soporte.console.access import agent_required, is_htmx
from soporte.console.views import _chrome
from soporte.feedback import review, review_selectors
from soporte.feedback.domain import review as rules
from soporte.feedback.domain.weeks import Week, span
from soporte.feedback.models import ReviewDispositionKind, Survey
from soporte.feedback.postmortem_selectors import postmortems_due
from soporte.feedback.recurrence_selectors import recurrence_dispositions_due
from soporte.policy import default_policy


@dataclass(frozen=True, slots=True)
class Section:
    template: str
    context: Callable[[Agent, Week, datetime], dict[str, Any]]


def _items_section(agent: Agent, week: Week, now: datetime) -> dict[str, Any]:
    return {"items": review_selectors.items(agent, week)}


def _recurrences_section(agent: Agent, week: Week, now: datetime) -> dict[str, Any]:
    """The recurrences linked by the week's end that still need a disposition."""
    until = span(week, default_policy().csat.review_zone)[1]
    return {"recurrences": recurrence_dispositions_due(agent.user, until=until)}


def _postmortems_section(agent: Agent, week: Week, now: datetime) -> dict[str, Any]:
    """Every post-mortem not yet written: it stays in the review until it is."""
    return {"pending": postmortems_due(now=now)}


SECTIONS: list[Section] = [
    Section("console/review_items.html", _items_section),
    Section("console/review_recurrences.html", _recurrences_section),
    Section("console/review_postmortems.html", _postmortems_section),
]


def _reviewer(agent: Agent) -> None:
    if not review_selectors.may_review(agent):
        raise PermissionDenied


def _week(label: str) -> Week:
    try:
        return Week.parse(label)
    except ValueError:
        raise Http404(label) from None


@require_GET
@agent_required
def weeks(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    _reviewer(agent)
    rows = review_selectors.weeks(agent, now=timezone.now())
    context = {**_chrome(agent, active="review"), "weeks": rows}
    return render(request, "console/review.html", context)


@require_GET
@agent_required
def week_page(request: HttpRequest, agent: Agent, label: str) -> HttpResponseBase:
    _reviewer(agent)
    return _render_week(request, agent, _week(label))


@require_POST
@agent_required
def dispose(request: HttpRequest, agent: Agent, label: str, pk: int) -> HttpResponseBase:
    _reviewer(agent)
    week = _week(label)
    survey = get_object_or_404(Survey.objects.select_related("ticket", "agent"), pk=pk)
    now = timezone.now()
    error: review.ReviewError | None = None
    try:
        review.dispose(
            agent=agent,
            survey=survey,
            kind=request.POST.get("kind", ""),
            link=request.POST.get("link", ""),
            note=request.POST.get("note", ""),
            reason=request.POST.get("reason", ""),
            at=now,
        )
    except review.ReviewError as exc:
        error = exc
    if not is_htmx(request):
        if error is not None:
            messages.error(request, str(error))
            return _render_week(request, agent, week, status=400)
        messages.success(request, _("Disposition saved."))
        return redirect("console:review_week", label=str(week))
    item = next((i for i in review_selectors.items(agent, week) if i.survey.pk == pk), None)
    if item is None:
        raise Http404(str(pk))
    context = {
        "item": item,
        "week": week,
        "error": error,
        "posted": request.POST if error is not None else None,
        "kinds": ReviewDispositionKind.choices,
        **_closing(week, now),
        "oob": True,
    }
    return render(request, "console/_review_item.html", context, status=400 if error else 200)


@require_POST
@agent_required
def close(request: HttpRequest, agent: Agent, label: str) -> HttpResponseBase:
    _reviewer(agent)
    week = _week(label)
    try:
        review.close_week(agent=agent, week=week, at=timezone.now())
    except review.ReviewError as exc:
        messages.error(request, str(exc))
        return _render_week(request, agent, week, status=400)
    messages.success(request, _("Week %(week)s is closed.") % {"week": week})
    return redirect("console:review_week", label=str(week))


def _closing(week: Week, now: datetime) -> dict[str, Any]:
    """What the "Close the week" block shows: whether it may close, and why not."""
    row = review_selectors.week_row(week)
    left = review_selectors.undisposed(week)
    refusal = rules.close_refusal(
        week=week,
        zone=review_selectors.zone(),
        closed=row is not None and row.is_closed,
        items=left,
        disposed=(),
        now=now,
    )
    return {"row": row, "left": len(left), "refusal": refusal and refusal.value}


def _render_week(
    request: HttpRequest, agent: Agent, week: Week, *, status: int = 200
) -> HttpResponseBase:
    now = timezone.now()
    sections = [{"template": s.template, "data": s.context(agent, week, now)} for s in SECTIONS]
    context = {
        **_chrome(agent, active="review"),
        "week": week,
        "first_day": dates.short_day(week.monday),
        "last_day": dates.short_day(week.monday + timedelta(days=6)),
        "sections": sections,
        "kinds": ReviewDispositionKind.choices,
        **_closing(week, now),
    }
    return render(request, "console/review_week.html", context, status=status)
