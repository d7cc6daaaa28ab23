"""The agent console's pages. Every read goes through ``tickets.selectors`` with the caller, so an
agent sees only what their role allows (they read every ticket and work their tiers'); every
change goes through ``tickets.services``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, prefetch_related_objects
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from soporte.accounts.models import TIERS, Agent, Role, language_of_code
from soporte.channels.whatsapp.selectors import window as whatsapp_window
from soporte.console.access import agent_required, is_htmx, may_open_queue
from soporte.console.forms import (
    AssignForm,
    CcRemoveForm,
    EscalateForm,
    LinkForm,
    QueueFilterForm,
    ReplyForm,
    SeverityForm,
    StatusForm,
)
from soporte.console.oncall_forms import OverrideForm, PagingRotationForm, SwapForm
from soporte.console.oncall_presenters import (
    first_shift_soon,
    moment,
    override_rows,
    rotation_views,
)
from soporte.console.presenters import (
    clock_panels,
    intake_checklist,
    queue_rows,
    timeline_lines,
    undelivered,
)
from soporte.escalation import services as paging
from soporte.escalation.selectors import latest_page, page_context
from soporte.feedback.postmortem_selectors import listed_of
from soporte.kb.use_selectors import used_on
from soporte.notify import services as notify
from soporte.notify.selectors import latest as latest_notifications
from soporte.notify.selectors import unread_badge
from soporte.oncall import selectors as oncall_selectors
from soporte.oncall import services as oncall_services
from soporte.oncall.models import Override as OnCallOverride
from soporte.oncall.models import Rotation
from soporte.policy import default_policy
from soporte.sla.selectors import explanation, with_clock
from soporte.tickets import selectors, services
from soporte.tickets.attachments import AttachmentRejected
from soporte.tickets.domain import routing
from soporte.tickets.models import Ticket
from soporte.tickets.selectors import (
    QueueFilter,
    conversation,
    queue_page,
    timeline,
    visible_attachments,
    visible_tickets,
)

PAGE_SIZE = 50
"""Rows per queue page. Pages are windows read along the queue indexes
(``tickets.selectors.queue_page``); the table is never counted."""

POLL_SECONDS = 15


# --------------------------------------------------------------------------- queues


@require_GET
@agent_required
def home(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    """Leads land on every queue (breached and at-risk first); agents on their tier's queue."""
    if agent.sees_every_queue:
        return redirect("console:all")
    return redirect("console:queue", tier=agent.tier)


@require_GET
@agent_required
def tier_queue(request: HttpRequest, agent: Agent, tier: str) -> HttpResponseBase:
    if tier not in TIERS:
        raise Http404
    if not may_open_queue(agent, tier):
        raise PermissionDenied
    title = _("%(tier)s queue") % {"tier": tier}
    return _queue_page(request, agent, QueueFilter(tier=tier), title=title, active=tier)


@require_GET
@agent_required
def mine(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    return _queue_page(request, agent, QueueFilter(mine=True), title=_("My tickets"), active="mine")


@require_GET
@agent_required
def all_queues(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    if not agent.sees_every_queue:
        raise PermissionDenied
    return _queue_page(request, agent, QueueFilter(), title=_("All queues"), active="all")


@require_GET
@agent_required
def participated(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    """The tickets the agent took part in, whatever their tier or status now, latest first."""

    def window(filters: QueueFilter, start: int, narrow: selectors.Narrow) -> list[Ticket]:
        return list(
            narrow(selectors.participated(request.user, filters))[start : start + PAGE_SIZE + 1]
        )

    return _queue_page(
        request, agent, QueueFilter(), title=_("I took part"), active="participated", read=window
    )


Window = Callable[[QueueFilter, int, selectors.Narrow], list[Ticket]]


def _queue_page(
    request: HttpRequest,
    agent: Agent,
    base: QueueFilter,
    *,
    title: str,
    active: str,
    read: Window | None = None,
) -> HttpResponse:
    """A page of queue rows; ``read`` returns the page's window (one row more than shown: is
    there a next page?), ``queue_page`` along the queue indexes unless given."""
    form = QueueFilterForm(request.GET)
    chosen = form.values()
    filters = QueueFilter(
        tier=base.tier,
        mine=base.mine,
        severity=chosen.get("severity"),
        plan=chosen.get("plan"),
        channel=chosen.get("channel"),
        status=chosen.get("status"),
    )
    now = timezone.now()
    clock = chosen.get("clock", "")
    page = _page_number(request)
    start = (page - 1) * PAGE_SIZE

    def narrow(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
        return with_clock(tickets, clock, now)

    if read is None:
        window = queue_page(request.user, filters, offset=start, limit=PAGE_SIZE + 1, narrow=narrow)
    else:
        window = read(filters, start, narrow)
    has_next = len(window) > PAGE_SIZE
    window = window[:PAGE_SIZE]
    prefetch_related_objects(window, "clocks")
    context = {
        "rows": queue_rows(window, now, default_policy()),
        "now": now,
        "poll_seconds": POLL_SECONDS,
    }
    if is_htmx(request):
        response = render(request, "console/_queue_rows.html", context)
    else:
        context.update(
            _chrome(agent, active=active),
            title=title,
            filter_form=form,
            filtered=bool(chosen),
            page=page,
            has_next=has_next,
            first_row=start + 1,
            last_row=start + len(window),
        )
        response = render(request, "console/queue.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _chrome(agent: Agent, *, active: str) -> dict[str, Any]:
    """What every full console page shows around its content: navigation and the badge."""
    tiers = [tier for tier in TIERS if may_open_queue(agent, tier)]
    return {"agent": agent, "active": active, "queue_tiers": tiers, "unread": unread_badge(agent)}


# --------------------------------------------------------------------------- the ticket page


def _ticket_for(request: HttpRequest, pk: int) -> Ticket:
    """The ticket if the caller may see it (404 otherwise, never 403: no existence leak)."""
    tickets = visible_tickets(request.user).prefetch_related("clocks")
    return get_object_or_404(tickets, pk=pk)


@require_GET
@agent_required
def ticket_page(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    return _render_ticket(request, agent, _ticket_for(request, pk))


@require_GET
@agent_required
def ticket_sla(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """The SLA panel alone (htmx refreshes it so the countdown stays current)."""
    ticket = _ticket_for(request, pk)
    now = timezone.now()
    panels = clock_panels(
        ticket, now, explanation(ticket, now, lang=language_of_code(get_language()))
    )
    return render(
        request, "console/_sla_panel.html", {"ticket": ticket, "panels": panels, "now": now}
    )


def _render_ticket(
    request: HttpRequest,
    agent: Agent,
    ticket: Ticket,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    now = timezone.now()
    attachments = list(visible_attachments(request.user, ticket))
    events = list(timeline(request.user, ticket))
    next_tier = routing.next_tier(default_policy(), ticket.tier)
    context = {
        **_chrome(agent, active=ticket.tier),
        "ticket": ticket,
        "now": now,
        "panels": clock_panels(
            ticket, now, explanation(ticket, now, lang=language_of_code(get_language()))
        ),
        "checklist": intake_checklist(ticket, attachment_names=[a.filename for a in attachments]),
        "conversation": conversation(request.user, ticket),
        "attachments": attachments,
        "timeline": timeline_lines(events),
        "undelivered": undelivered(events),
        "next_tier": next_tier,
        "back_url": reverse("console:queue", args=[ticket.tier])
        if may_open_queue(agent, ticket.tier)
        else reverse("console:participated"),
        "may_work": selectors.may_work(request.user, ticket),
        "ccs": selectors.cc_addresses(ticket),
        "code_bug_applies": ticket.tier == "T2",
        "poll_seconds": POLL_SECONDS,
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "severity_form": forms.get("severity_form")
        or SeverityForm(initial={"severity": ticket.severity}),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": ticket.status}),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"assignee": ticket.assignee_id}),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
        "link_form": LinkForm() if ticket.organisation.unidentified else None,
        "whatsapp": whatsapp_window(ticket, now=now) if ticket.channel == "whatsapp" else None,
        **page_context(ticket, agent),
        "postmortem": listed_of(ticket, now=now),
        "article_uses": used_on(ticket),
    }
    return render(request, "console/ticket.html", context, status=status)


@require_POST
@agent_required
def acknowledge_page(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    ticket = _ticket_for(request, pk)  # who may acknowledge is the page's rule (NotAllowed)
    page = latest_page(ticket)
    if page is None:
        return _failed(request, agent, ticket, _("This ticket has no page to acknowledge."))
    try:
        paging.acknowledge(page=page, agent=agent, via="console", at=timezone.now())
    except paging.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, _("Page acknowledged."))
    return _back(request, ticket)


def _back(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return redirect("console:ticket", pk=ticket.pk)


def _failed(
    request: HttpRequest, agent: Agent, ticket: Ticket, problem: str, **forms: Any
) -> HttpResponse:
    messages.error(request, problem)
    ticket.refresh_from_db()
    return _render_ticket(request, agent, ticket, status=400, **forms)


Data = dict[str, Any]
"""A valid form's ``cleaned_data``."""
Done = tuple[Ticket, str]
"""What a ticket action did: the ticket as it is now, and what to tell the agent ("": nothing)."""
TicketAct = Callable[[HttpRequest, Agent, Ticket, Data], Done]


def _ticket_action(
    form_class: type[Form],
    form_name: str,
    invalid: str | Promise,
    *,
    refusals: tuple[type[Exception], ...] = (services.TicketError,),
) -> Callable[[TicketAct], Callable[..., HttpResponseBase]]:
    """The shape of every form posted on a ticket: the ticket the caller may work (403 for one
    they may only read), its form checked (``invalid`` said otherwise), the action run (a
    refusal's message said), then what it said and back to the ticket. A failure shows the
    ticket again with the form (400)."""

    def decorate(act: TicketAct) -> Callable[..., HttpResponseBase]:
        @require_POST
        @agent_required
        @wraps(act)
        def view(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
            ticket = _ticket_for(request, pk)
            if not selectors.may_work(request.user, ticket):
                raise PermissionDenied  # agents read every ticket, and work their tiers'
            form = form_class(request.POST)
            if not form.is_valid():
                return _failed(request, agent, ticket, str(invalid), **{form_name: form})
            try:
                ticket, said = act(request, agent, ticket, form.cleaned_data)
            except refusals as exc:
                return _failed(request, agent, ticket, str(exc), **{form_name: form})
            if said:
                messages.success(request, said)
            return _back(request, ticket)

        return view

    return decorate


@_ticket_action(
    ReplyForm,
    "reply_form",
    gettext_lazy("Write a message first."),
    refusals=(services.TicketError, AttachmentRejected),
)
def reply(request: HttpRequest, agent: Agent, ticket: Ticket, data: Data) -> Done:
    """A public reply or an internal note (which button was pressed), with optional uploads;
    the CC addresses given are copied on the ticket's emails from this one on."""
    internal = data["kind"] == "internal"
    now = timezone.now()
    for address in data["cc"]:
        services.add_cc(ticket=ticket, address=address, actor=agent, at=now)
    services.reply(
        ticket=ticket,
        author=agent,
        body=data["body"],
        public=not internal,
        uploads=request.FILES.getlist("files"),
        at=now,
    )
    return ticket, _("Internal note added.") if internal else _("Reply sent.")


@_ticket_action(CcRemoveForm, "cc_remove_form", gettext_lazy("Choose a CC to remove."))
def remove_cc(request: HttpRequest, agent: Agent, ticket: Ticket, data: Data) -> Done:
    """Stop copying an address on the ticket's emails."""
    address = data["address"]
    services.remove_cc(ticket=ticket, address=address, actor=agent, at=timezone.now())
    return ticket, _("%(address)s is no longer copied.") % {"address": address}


@_ticket_action(SeverityForm, "severity_form", gettext_lazy("Choose a severity and give a reason."))
def change_severity(request: HttpRequest, agent: Agent, ticket: Ticket, data: Data) -> Done:
    old = ticket.severity
    ticket = services.change_severity(
        ticket=ticket,
        severity=data["severity"],
        actor=agent,
        reason=data["reason"],
        at=timezone.now(),
    )
    if ticket.severity == old:
        return ticket, ""
    return ticket, _("Severity changed %(old)s → %(new)s; the SLA clocks were recomputed.") % {
        "old": old,
        "new": ticket.severity,
    }


@_ticket_action(StatusForm, "status_form", gettext_lazy("Choose a status."))
def change_status(request: HttpRequest, agent: Agent, ticket: Ticket, data: Data) -> Done:
    ticket = services.change_status(
        ticket=ticket, status=data["status"], actor=agent, at=timezone.now()
    )
    return ticket, _("Status: %(status)s.") % {"status": ticket.get_status_display()}


@_ticket_action(AssignForm, "assign_form", gettext_lazy("Choose an agent."))
def assign(request: HttpRequest, agent: Agent, ticket: Ticket, data: Data) -> Done:
    assignee: Agent | None = data["assignee"]
    ticket = services.assign(ticket=ticket, assignee=assignee, actor=agent, at=timezone.now())
    if assignee is None:
        return ticket, _("Ticket unassigned.")
    return ticket, _("Assigned to %(name)s.") % {"name": assignee.name}


@_ticket_action(EscalateForm, "escalate_form", gettext_lazy("An escalation needs a reason."))
def escalate(request: HttpRequest, agent: Agent, ticket: Ticket, data: Data) -> Done:
    ticket = services.escalate(
        ticket=ticket,
        actor=agent,
        reason=data["reason"],
        code_bug=ticket.tier == "T2" and data["code_bug"],
        at=timezone.now(),
    )
    return ticket, _("Ticket #%(number)s escalated to %(tier)s.") % {
        "number": ticket.pk,
        "tier": ticket.tier,
    }


# --------------------------------------------------------------------------- notifications

NOTIFICATIONS_SHOWN = 100


@require_GET
@agent_required
def notifications(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    notes = latest_notifications(agent, limit=NOTIFICATIONS_SHOWN)
    context = {**_chrome(agent, active="notifications"), "notes": notes}
    return render(request, "console/notifications.html", context)


@require_GET
@agent_required
def notifications_badge(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    response = render(
        request,
        "console/_badge.html",
        {"unread": unread_badge(agent), "poll_seconds": POLL_SECONDS},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@agent_required
def notification_read(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    note = notify.mark_read(agent=agent, pk=pk, now=timezone.now())
    if note is None:
        raise Http404
    if request.POST.get("open") and note.ticket_id is not None:
        return redirect("console:ticket", pk=note.ticket_id)
    return redirect("console:notifications")


@require_POST
@agent_required
def notifications_read_all(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    if notify.mark_all_read(agent=agent, now=timezone.now()):
        messages.success(request, _("All notifications marked read."))
    return redirect("console:notifications")


# --------------------------------------------------------------------------- on call

ONCALL_EDITORS = frozenset({Role.LEAD, Role.FOUNDER, Role.CTO, Role.ADMIN})
"""Who may add, delete and swap overrides; every agent may see the page."""


def may_edit_oncall(agent: Agent) -> bool:
    return agent.role in ONCALL_EDITORS


@require_GET
@agent_required
def oncall(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    return _render_oncall(request, agent)


def _render_oncall(
    request: HttpRequest,
    agent: Agent,
    *,
    status: int = 200,
    feed_url: str = "",
    override_form: OverrideForm | None = None,
    swap_form: SwapForm | None = None,
) -> HttpResponse:
    now = timezone.now()
    zone = timezone.get_current_timezone()
    rotations = rotation_views(now, zone)
    editor = may_edit_oncall(agent)
    context = {
        **_chrome(agent, active="oncall"),
        "rotations": rotations,
        "paging_rotation": oncall_selectors.paging_rotation(),
        "overrides": override_rows(oncall_selectors.upcoming_overrides(now=now), now, zone),
        "zone": str(zone),
        "editor": editor,
        "has_feed": oncall_selectors.has_agent_feed(agent=agent),
        "feed_url": feed_url,
        "runbook_url": default_policy().oncall.runbook_url,
        "first_shift_soon": first_shift_soon(agent, now),
    }
    if editor and rotations:
        context["override_form"] = override_form or OverrideForm(now=now)
        context["swap_form"] = swap_form or SwapForm(now=now)
    response = render(request, "console/oncall.html", context, status=status)
    if feed_url:
        response["Cache-Control"] = "no-store"  # the secret address is shown once
    return response


def _editor_or_403(agent: Agent) -> None:
    if not may_edit_oncall(agent):
        raise PermissionDenied


@require_POST
@agent_required
def oncall_override_add(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    _editor_or_403(agent)
    now = timezone.now()

    def save(data: dict[str, Any]) -> str:
        oncall_services.add_override(
            rotation=data["rotation"],
            role=data["role"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            covering=data["covering"],
            covered=data["covered"],
            reason=data["reason"],
            created_by=agent,
            now=now,
        )
        _warn_without_secondary(request, data["rotation"], [(data["starts_at"], data["ends_at"])])
        return _("Override added: %(name)s covers %(rotation)s.") % {
            "name": data["covering"].name,
            "rotation": data["rotation"].name,
        }

    form = OverrideForm(request.POST, now=now)
    if _saved(request, form, save, _("The override was not added. %(problems)s")):
        return redirect("console:oncall")
    return _render_oncall(request, agent, status=400, override_form=form)


@require_POST
@agent_required
def oncall_swap(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    _editor_or_403(agent)
    now = timezone.now()

    def save(data: dict[str, Any]) -> str:
        oncall_services.swap(
            rotation=data["rotation"],
            role=data["role"],
            first=data["first"],
            first_span=oncall_services.Span(data["first_starts_at"], data["first_ends_at"]),
            second=data["second"],
            second_span=oncall_services.Span(data["second_starts_at"], data["second_ends_at"]),
            reason=data["reason"],
            created_by=agent,
            now=now,
        )
        spans = [(data[f"{who}_starts_at"], data[f"{who}_ends_at"]) for who in ("first", "second")]
        _warn_without_secondary(request, data["rotation"], spans)
        return _("Swap saved: %(first)s and %(second)s trade shifts in %(rotation)s.") % {
            "first": data["first"].name,
            "second": data["second"].name,
            "rotation": data["rotation"].name,
        }

    form = SwapForm(request.POST, now=now)
    if _saved(request, form, save, _("The swap was not saved. %(problems)s")):
        return redirect("console:oncall")
    return _render_oncall(request, agent, status=400, swap_form=form)


def _warn_without_secondary(
    request: HttpRequest, rotation: Rotation, spans: list[tuple[datetime, datetime]]
) -> None:
    """Say where the overrides just saved leave the rotation with nobody to be secondary
    besides the primary (READING §9: one person never holds both roles)."""
    zone = timezone.get_current_timezone()
    for start, end in spans:
        for gap in oncall_selectors.without_secondary(rotation=rotation, start=start, end=end):
            text = _(
                "Warning: %(rotation)s has no secondary other than the primary from %(start)s "
                "to %(end)s."
            )
            values = {"rotation": rotation.name, "start": moment(gap.start, zone)}
            messages.warning(request, text % {**values, "end": moment(gap.end, zone)})


def _saved(
    request: HttpRequest,
    form: OverrideForm | SwapForm | PagingRotationForm,
    save: Callable[[dict[str, Any]], str],
    failed: str,
) -> bool:
    """Validate ``form`` and ``save`` its data: the success said, or the problems (each named
    by its field) said with ``failed`` and left on the form for the page to show."""
    if form.is_valid():
        try:
            done = save(form.cleaned_data)
        except oncall_services.OnCallError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return True
    messages.error(request, failed % {"problems": form.problems()})
    return False


@require_POST
@agent_required
def oncall_paging(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    """Leads, the founder, the CTO and admins choose the rotation that takes pages."""
    _editor_or_403(agent)

    def save(data: dict[str, Any]) -> str:
        oncall_services.set_paging_rotation(rotation=data["rotation"])
        return _("%(rotation)s takes pages now.") % {"rotation": data["rotation"].name}

    form = PagingRotationForm(request.POST)
    if _saved(request, form, save, _("The paging rotation was not changed. %(problems)s")):
        return redirect("console:oncall")
    return _render_oncall(request, agent, status=400)


@require_POST
@agent_required
def oncall_override_delete(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    _editor_or_403(agent)
    override = get_object_or_404(OnCallOverride, pk=pk)
    try:
        oncall_services.delete_override(override=override, now=timezone.now())
    except oncall_services.OnCallError:
        messages.error(
            request, _("This override has started already; only an upcoming one can be deleted.")
        )
        return _render_oncall(request, agent, status=400)
    messages.success(request, _("Override deleted."))
    return redirect("console:oncall")


@require_POST
@agent_required
def oncall_calendar(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    """A new secret address for the agent's own calendar, shown once (the old one stops)."""
    _feed, secret = oncall_services.regenerate_feed_secret(agent=agent, now=timezone.now())
    url = request.build_absolute_uri(reverse("oncall:calendar", kwargs={"secret": secret}))
    return _render_oncall(request, agent, feed_url=url)
