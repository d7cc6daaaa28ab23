"""Telling the leads of a ticket's tier that a clock is at risk or breached, once per agent."""

from __future__ import annotations

from collections.abc import Callable
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
        with override(lead.locale):
            title = _headline(event, ticket, clock)
        key = f"{event}:{clock.pk}:v{clock.version}:{lead.pk}"
        sent.append(_tell(lead, key=key, ticket=ticket, event=event, title=title, now=now))
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
    return _tell(csm, key=key, ticket=ticket, event="csm_p0_p1", title=title, now=now)


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

    def title() -> str:
        return _("Nobody on call to page for ticket #%(number)s (%(severity)s, %(subject)s)") % {
            "number": ticket.pk,
            "severity": ticket.severity,
            "subject": ticket.subject,
        }

    key = f"nobody_on_call:{page}:{step}"
    return _tell_every_lead(key=key, ticket=ticket, event="nobody_on_call", title=title, now=now)


def tell_leads_page_failed(
    *, ticket: Ticket, page: int, agent: str, transport: str, next_transport: str, now: datetime
) -> list[Notification]:
    """A page could not reach ``agent`` over ``transport`` after every attempt: the leads hear
    of it (and whether it went out over ``next_transport`` instead)."""

    def title() -> str:
        values = {"number": ticket.pk, "agent": agent, "transport": transport}
        if next_transport:
            return _(
                "Page for ticket #%(number)s could not reach %(agent)s over %(transport)s; "
                "sent over %(next)s instead"
            ) % {**values, "next": next_transport}
        return (
            _("Page for ticket #%(number)s could not reach %(agent)s over %(transport)s") % values
        )

    key = f"page_failed:{page}:{agent}:{transport}"
    return _tell_every_lead(key=key, ticket=ticket, event="page_failed", title=title, now=now)


def _tell_every_lead(
    *, key: str, ticket: Ticket, event: str, title: Callable[[], str], now: datetime
) -> list[Notification]:
    """Every lead, ``title()`` written in each one's language; once per ``key`` and lead."""
    sent = []
    for lead in Agent.objects.filter(role=Role.LEAD).select_related("user"):
        with override(lead.locale):
            text = title()
        sent.append(
            _tell(lead, key=f"{key}:{lead.pk}", ticket=ticket, event=event, title=text, now=now)
        )
    return sent


def _tell(
    agent: Agent, *, key: str, ticket: Ticket, event: str, title: str, now: datetime
) -> Notification:
    """One notification in the console (and its email copy), once per ``key``."""
    note, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "agent": agent,
            "ticket": ticket,
            "event": event,
            "title": title,
            "created_at": now,
        },
    )
    if created and agent.email:
        enqueue_email(key=f"notify:{key}", to=[agent.email], subject=title, body=title)
    return note
