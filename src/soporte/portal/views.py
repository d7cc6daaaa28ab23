"""The customer portal: the organisation's tickets, a new ticket, a ticket's conversation.

Every ticket is read through :func:`soporte.tickets.selectors.visible_tickets`: a contact sees
their organisation's tickets only, and any other ticket number is a 404.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soporte.accounts.models import Contact
from soporte.feedback import selectors as feedback
from soporte.feedback import services as surveys
from soporte.feedback.forms import AnswerForm
from soporte.kb import deflection
from soporte.kb.selectors import pinned
from soporte.policy import default_policy
from soporte.portal.access import contact_required, zone_of
from soporte.portal.forms import NewTicketForm, ReplyForm
from soporte.portal.intake import missing_labels
from soporte.portal.suggestions import language_of
from soporte.sla.models import Clock
from soporte.sla.selectors import ClockView, clock_views
from soporte.tickets import attachments, services
from soporte.tickets.acknowledgement import next_steps
from soporte.tickets.models import UNRESOLVED, Channel, Status, Ticket
from soporte.tickets.selectors import visible_attachments, visible_messages, visible_tickets

PAGE_SIZE = 25
UNRESOLVED_FILTER = "unresolved"


def _tickets(request: HttpRequest) -> QuerySet[Ticket]:
    return visible_tickets(request.user).prefetch_related(
        Prefetch("clocks", queryset=Clock.objects.filter(kind="first_response"), to_attr="first")
    )


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    return get_object_or_404(_tickets(request), pk=pk)


def _first_response(ticket: Ticket, now: datetime) -> ClockView | None:
    views = clock_views(getattr(ticket, "first", []), now)
    return views[0] if views else None


@require_GET
@contact_required
def ticket_list(request: HttpRequest, contact: Contact) -> HttpResponse:
    status = request.GET.get("status", "")
    tickets = _tickets(request).order_by("-opened_at", "-id")
    if status == UNRESOLVED_FILTER:
        tickets = tickets.filter(status__in=UNRESOLVED)
    elif status in Status.values:
        tickets = tickets.filter(status=status)
    else:
        status = ""
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(ticket, _first_response(ticket, now)) for ticket in page.object_list]
    filters = [("", _("All")), (UNRESOLVED_FILTER, _("Not solved yet")), *Status.choices]
    return render(
        request,
        "portal/ticket_list.html",
        {
            "contact": contact,
            "page": page,
            "rows": rows,
            "status": status,
            "filters": filters,
        },
    )


@require_http_methods(["GET", "POST"])
@contact_required
def new_ticket(request: HttpRequest, contact: Contact) -> HttpResponse:
    if request.method == "POST":
        form = NewTicketForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.open_ticket(
                    requester=contact,
                    channel=Channel.PORTAL,
                    severity=data["severity"],
                    subject=data["subject"],
                    body=data["description"],
                    intake=form.intake(default_zone=contact.time_zone),
                    uploads=data["screenshots"],
                    now=timezone.now(),
                )
            except (services.TicketError, attachments.AttachmentRejected) as exc:
                form.add_error(None, str(exc))
            else:
                deflection.filed(token=data["deflection"], contact=contact, ticket=ticket)
                return redirect("portal:received", pk=ticket.pk)
    else:
        form = NewTicketForm(
            initial={
                "organisation_id": str(contact.organisation_id),
                "url": request.GET.get("from", "")[:500],
            }
        )
    return render(
        request,
        "portal/new_ticket.html",
        {
            "contact": contact,
            "form": form,
            "files_lost": request.method == "POST" and bool(request.FILES),
            "pinned": pinned(language_of(contact)),
        },
    )


@require_GET
@contact_required
def received(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """What happens next, in words, right after the ticket was filed."""
    ticket = _ticket(request, pk)
    with translation.override(translation.get_language()):
        steps = next_steps(
            ticket,
            list(ticket.clocks.all()),
            default_policy(),
            zone=zone_of(contact),
            now=timezone.now(),
        )
    return render(
        request,
        "portal/received.html",
        {"contact": contact, "ticket": ticket, "steps": steps, "missing": missing_labels(ticket)},
    )


def _detail(
    request: HttpRequest, contact: Contact, ticket: Ticket, form: ReplyForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    survey = feedback.current(ticket_id=ticket.pk, contact=contact)
    files = visible_attachments(request.user, ticket)
    messages_shown = visible_messages(request.user, ticket).prefetch_related(
        Prefetch("attachments", queryset=files)
    )
    return render(
        request,
        "portal/ticket_detail.html",
        {
            "contact": contact,
            "ticket": ticket,
            "conversation": messages_shown,
            "loose_attachments": files.filter(message__isnull=True),
            "first_response": _first_response(ticket, now),
            "missing": missing_labels(ticket),
            "form": form,
            "survey": feedback.view(survey, now=now) if survey else None,
        },
        status=status,
    )


@require_GET
@contact_required
def ticket_detail(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    return _detail(request, contact, _ticket(request, pk), ReplyForm())


@require_POST
@contact_required
def reply(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        was_resolved = ticket.is_resolved
        try:
            services.reply(
                ticket=ticket,
                author=contact,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["uploads"],
                at=timezone.now(),
            )
        except (services.TicketError, attachments.AttachmentRejected) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Your reply was sent; the ticket is open again.")
                if was_resolved
                else _("Your reply was sent."),
            )
            return redirect("portal:ticket", pk=ticket.pk)
    return _detail(request, contact, ticket, form, status=400)


@require_POST
@contact_required
def mark_solved(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    if not ticket.is_resolved:
        services.change_status(
            ticket=ticket, status=Status.SOLVED, actor=contact, at=timezone.now()
        )
        messages.success(
            request,
            _("Marked solved. If the problem comes back, reply here and the ticket opens again."),
        )
    return redirect("portal:ticket", pk=ticket.pk)


@require_POST
@contact_required
def answer_survey(request: HttpRequest, contact: Contact, pk: int) -> HttpResponse:
    """The requester answers (or changes, or comments on) the ticket's survey; nobody else has
    one to answer (404)."""
    ticket = _ticket(request, pk)
    survey = feedback.current(ticket_id=ticket.pk, contact=contact)
    if survey is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for error in form.named_errors():
            messages.error(request, error)
        return redirect("portal:ticket", pk=ticket.pk)
    try:
        form.record(survey, at=timezone.now())
    except surveys.SurveyError:
        messages.error(request, _("This survey no longer takes answers."))
    else:
        messages.success(request, _("Thank you for your answer!"))
    return redirect(f"{reverse('portal:ticket', args=[ticket.pk])}#survey")
