"""The reports pages: every report of :func:`soporte.reports.catalog.reports` grouped by
section, each as a chart and its table with a CSV link, under the filters form; one report
alone (``?format=csv``: its table as CSV). Leads, the founder, the CTO and admins (who sees
every queue); other agents get 403. GET only: the filters are the URL."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from soporte import dates
from soporte.accounts.models import Agent
from soporte.console.access import agent_required
from soporte.console.report_filters import ReportFilters, problems
from soporte.console.report_presenters import ShownReport, shown
from soporte.console.views import _chrome
from soporte.reports.catalog import reports
from soporte.reports.counting import local_day
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.tables import to_csv


def _reader(agent: Agent) -> None:
    if not agent.sees_every_queue:
        raise PermissionDenied


def _query(request: HttpRequest, **extra: str) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    query.update(extra)
    return query.urlencode()


def _day(day: date) -> str:
    return f"{dates.short_day(day)} {day.year}"


def _context(
    request: HttpRequest, agent: Agent, form: ReportFilters, filters: Filters | None
) -> dict[str, Any]:
    return {
        **_chrome(agent, active="reports"),
        "form": form,
        "problems": problems(form) if form.errors else [],
        "period": filters and [_day(filters.start), _day(filters.end)],
        "csv_query": _query(request, format="csv"),
        "query": _query(request),
    }


@require_GET
@agent_required
def reports_page(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    _reader(agent)
    now = timezone.now()
    form = ReportFilters(request.GET)
    if not form.is_valid():
        return render(
            request, "console/reports.html", _context(request, agent, form, None), status=400
        )
    filters = form.filters(local_day(now))
    sections: dict[str, list[ShownReport]] = {}
    for report in reports().values():
        sections.setdefault(_(report.section), []).append(shown(report.compute(filters, now)))
    context = {**_context(request, agent, form, filters), "sections": sections}
    return render(request, "console/reports.html", context)


@require_GET
@agent_required
def report_page(request: HttpRequest, agent: Agent, key: str) -> HttpResponseBase:
    _reader(agent)
    report = reports().get(key)
    if report is None:
        raise Http404(key)
    wants = request.GET.get("format", "")
    if wants not in ("", "csv"):
        return HttpResponse(
            _("format: only csv is offered."), status=400, content_type="text/plain; charset=utf-8"
        )
    now = timezone.now()
    form = ReportFilters(request.GET)
    if not form.is_valid():
        if wants == "csv":
            text = "\n".join(problems(form))
            return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
        context = {**_context(request, agent, form, None), "key": key}
        return render(request, "console/report.html", context, status=400)
    filters = form.filters(local_day(now))
    table = report.compute(filters, now)
    if wants == "csv":
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
        name = f"{key}_{filters.start:%Y-%m-%d}_{filters.end:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {
        **_context(request, agent, form, filters),
        "key": key,
        "section": _(report.section),
        "report": shown(table),
    }
    return render(request, "console/report.html", context)
