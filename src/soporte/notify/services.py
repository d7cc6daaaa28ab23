"""Telling the leads of a ticket's tier that a clock is at risk or breached, once per agent."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import Agent, Role
from soporte.jobs.outbox import enqueue_email
from soporte.notify.models import Notification
from soporte.policy import default_policy
from soporte.sla.models import Clock
from soporte.tickets.models import Ticket


def leads_for(ticket: Ticket) -> list[Agent]:
    """The leads of the ticket's tier, or every lead when that tier has none."""
    leads = list(Agent.objects.filter(role=Role.LEAD).select_related("user"))
    of_tier = [lead for lead in leads if lead.tier == ticket.tier]
    return of_tier or leads


def tell_leads(*, ticket: Ticket, event: str, clock: Clock, now: datetime) -> list[Notification]:
    sent = []
    for lead in leads_for(ticket):
        key = f"{event}:{clock.pk}:v{clock.version}:{lead.pk}"
        with override(lead.locale):
            title = _headline(event, ticket, clock)
        note, created = Notification.objects.get_or_create(
            key=key,
            defaults={
                "agent": lead,
                "ticket": ticket,
                "event": event,
                "title": title,
                "created_at": now,
            },
        )
        if created and lead.email:
            enqueue_email(key=f"notify:{key}", to=[lead.email], subject=title, body=title)
        sent.append(note)
    return sent


def tell_csm(*, ticket: Ticket, now: datetime) -> Notification | None:
    """An Enterprise organisation's CSM hears of its P0 and P1 tickets (READING.md §3), once per
    ticket and severity."""
    if ticket.severity not in ("P0", "P1") or ticket.organisation.csm_id is None:
        return None  # most tickets: decided without loading the CSM
    csm = ticket.organisation.csm
    if csm is None or not default_policy().plan(ticket.plan).csm:
        return None
    key = f"csm:{ticket.pk}:{ticket.severity}:{csm.pk}"
    with override(csm.locale):
        title = _("%(organisation)s opened a %(severity)s: ticket #%(number)s, %(subject)s") % {
            "organisation": ticket.organisation.name,
            "severity": ticket.severity,
            "number": ticket.pk,
            "subject": ticket.subject,
        }
    note, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "agent": csm,
            "ticket": ticket,
            "event": "csm_p0_p1",
            "title": title,
            "created_at": now,
        },
    )
    if created and csm.email:
        enqueue_email(key=f"notify:{key}", to=[csm.email], subject=title, body=title)
    return note


def _headline(event: str, ticket: Ticket, clock: Clock) -> str:
    due = formats.date_format(
        clock.due_at.astimezone(default_policy().calendar.zone), "D j M H:i T"
    )
    values = {
        "number": ticket.pk,
        "subject": ticket.subject,
        "target": clock.target,
        "due": due,
        "tier": ticket.tier,
        "severity": ticket.severity,
    }
    if event == "sla_breached":
        return (
            _(
                "Ticket #%(number)s (%(severity)s, %(tier)s) breached its %(target)s target, "
                "due %(due)s: %(subject)s"
            )
            % values
        )
    return (
        _(
            "Ticket #%(number)s (%(severity)s, %(tier)s) is at risk: %(target)s target due "
            "%(due)s: %(subject)s"
        )
        % values
    )


def tell_leads_nobody_on_call(
    *, ticket: Ticket, page: int, step: str, now: datetime
) -> list[Notification]:
    """A page step found nobody on call (READING.md §5: the gap is itself an incident): every
    lead hears of it, once per page and step."""
    sent = []
    for lead in Agent.objects.filter(role=Role.LEAD).select_related("user"):
        key = f"nobody_on_call:{page}:{step}:{lead.pk}"
        with override(lead.locale):
            title = _(
                "Nobody on call to page for ticket #%(number)s (%(severity)s, %(subject)s)"
            ) % {"number": ticket.pk, "severity": ticket.severity, "subject": ticket.subject}
        note, created = Notification.objects.get_or_create(
            key=key,
            defaults={
                "agent": lead,
                "ticket": ticket,
                "event": "nobody_on_call",
                "title": title,
                "created_at": now,
            },
        )
        if created and lead.email:
            enqueue_email(key=f"notify:{key}", to=[lead.email], subject=title, body=title)
        sent.append(note)
    return sent
