"""Telling agents of tickets (the leads of a tier at risk or breached, a CSM of a P0 or P1),
once per agent: a notification in the console and its email copy."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import Agent, NoticeChannel, Organisation, Role
from soporte.dates import short_when
from soporte.jobs.models import OutboxMessage
from soporte.jobs.outbox import enqueue_email
from soporte.notify.models import Notification
from soporte.policy import Policy, default_policy
from soporte.sla.explain import target_words
from soporte.sla.models import Clock
from soporte.tickets.models import Ticket

if TYPE_CHECKING:
    from soporte.escalation.transports import Alert, Transport


@dataclass(frozen=True, slots=True)
class Notice:
    """A notification to write: to ``agent``, once per ``key`` (its email copy too)."""

    agent: Agent
    event: str
    key: str
    title: str
    titles: dict[str, str] = field(default_factory=dict)
    """The title in each of the desk's languages (the console shows the reader's)."""

    def email_copy(self) -> tuple[str, dict[str, Any]] | None:
        """The email copy's outbox key and ``enqueue_email`` arguments (which are also the
        outbox payload it writes), or ``None`` when the agent has no address or hears of it
        over their preferred channel (:func:`other_copy`)."""
        email = self.agent.email
        if not email or _preferred(self) is not None:
            return None
        return f"notify:{self.key}", {"to": [email], "subject": self.title, "body": self.title}


def other_copy(notice: Notice | None, *, now: datetime) -> OutboxMessage | None:
    """Send the copy of ``notice`` over its agent's preferred channel for notices (a CSM's
    WhatsApp, Slack or SMS), through the paging transports; ``None`` when that is email (or
    the channel cannot reach them: then the email copy goes)."""
    transport = _preferred(notice) if notice is not None else None
    if notice is None or transport is None:
        return None
    return transport.send(_alert(notice, now))


def _preferred(notice: Notice) -> Transport | None:
    """The transport of the agent's preferred channel, when it is not email and reaches them."""
    channel = notice.agent.notice_channel
    if channel == NoticeChannel.EMAIL:
        return None
    from soporte.escalation import transports  # the registry lives with paging, which uses us

    usable = transports.usable(_alert(notice, _ASKING), order=(channel,))
    return usable[0] if usable else None


_ASKING = datetime(2000, 1, 1, tzinfo=UTC)
"""The time of an alert built only to ask whether a transport reaches its agent."""


def _alert(notice: Notice, now: datetime) -> Alert:
    from soporte.escalation import transports

    return transports.Alert(
        key=f"notify:{notice.key}",
        agent=notice.agent,
        subject=notice.title,
        body=notice.title,
        short=notice.title[: transports.SHORT_MAX],
        due_at=now,
    )


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
        titles = in_every_language(lambda: _headline(event, ticket, clock))
        sent.append(_tell(Notice(lead, event, key, title, titles), ticket=ticket, now=now))
    return sent


CSM_EVENT = "csm_p0_p1"


def csm_notice(
    *,
    organisation: Organisation,
    number: int,
    severity: str,
    plan: str,
    subject: str,
    policy: Policy | None = None,
) -> Notice | None:
    """What the organisation's CSM hears of ticket ``number`` (its severity, plan snapshot and
    subject), or ``None``: an Enterprise organisation's CSM hears of its P0 and P1 tickets
    (READING.md §3), once per ticket and severity. ``policy``: ``default_policy()`` if not
    given."""
    if severity not in ("P0", "P1") or organisation.csm_id is None:
        return None  # most tickets: decided without loading the CSM
    csm = organisation.csm
    if csm is None or not (policy or default_policy()).plan(plan).csm:
        return None

    def title() -> str:
        return _("%(organisation)s opened a %(severity)s: ticket #%(number)s, %(subject)s") % {
            "organisation": organisation.name,
            "severity": severity,
            "number": number,
            "subject": subject,
        }

    with override(csm.locale):
        text = title()
    return Notice(
        csm, CSM_EVENT, f"csm:{number}:{severity}:{csm.pk}", text, in_every_language(title)
    )


def ticket_csm_notice(ticket: Ticket) -> Notice | None:
    """``csm_notice`` of a saved ticket, as it stands."""
    return csm_notice(
        organisation=ticket.organisation,
        number=ticket.pk,
        severity=ticket.severity,
        plan=ticket.plan,
        subject=ticket.subject,
    )


def tell_csm(*, ticket: Ticket, now: datetime) -> Notification | None:
    """Tell the organisation's CSM of the ticket, as ``csm_notice`` decides."""
    notice = ticket_csm_notice(ticket)
    return None if notice is None else _tell(notice, ticket=ticket, now=now)


def _headline(event: str, ticket: Ticket, clock: Clock) -> str:
    """The lead's notification (and its email's subject and body): which clock of the ticket
    is at risk or breached, since a ticket may have two (the SLA's and its channel's)."""
    due = short_when(clock.due_at.astimezone(default_policy().calendar.zone))
    values = {
        "number": ticket.pk,
        "subject": ticket.subject,
        "clock": _clock_name(ticket, clock),
        "target": target_words(clock.target),
        "due": due,
        "tier": ticket.tier,
        "severity": ticket.severity,
    }
    if event == "sla_breached":
        return (
            _(
                "Ticket #%(number)s (%(severity)s, %(tier)s) breached its %(clock)s target "
                "(%(target)s), due %(due)s: %(subject)s"
            )
            % values
        )
    return (
        _(
            "Ticket #%(number)s (%(severity)s, %(tier)s) is at risk: its %(clock)s is due "
            "%(due)s (target: %(target)s): %(subject)s"
        )
        % values
    )


def _clock_name(ticket: Ticket, clock: Clock) -> str:
    if clock.kind == "channel_response":
        return _("channel response (%(channel)s)") % {"channel": ticket.get_channel_display()}
    return _("first response")


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
    leads = Agent.objects.filter(role=Role.LEAD).select_related("user")
    return tell_agents(leads, key=key, ticket=ticket, event=event, title=title, now=now)


def tell_agents(
    agents: Iterable[Agent],
    *,
    key: str,
    ticket: Ticket,
    event: str,
    title: Callable[[], str],
    now: datetime,
) -> list[Notification]:
    """Each of ``agents``, ``title()`` written in each one's language; once per ``key`` and
    agent (the notification's key, and its copy's outbox key, are ``<key>:<agent>``)."""
    sent = []
    titles = in_every_language(title)
    for agent in agents:
        with override(agent.locale):
            text = title()
        notice = Notice(agent, event, f"{key}:{agent.pk}", text, titles)
        sent.append(_tell(notice, ticket=ticket, now=now))
    return sent


def in_every_language(write: Callable[[], str]) -> dict[str, str]:
    """``write()`` in each of the desk's languages, keyed by language code."""
    titles = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            titles[code] = write()
    return titles


def _tell(notice: Notice, *, ticket: Ticket, now: datetime) -> Notification:
    """One notification in the console (and its email copy), once per key."""
    note, created = Notification.objects.get_or_create(
        key=notice.key,
        defaults={
            "agent": notice.agent,
            "ticket": ticket,
            "event": notice.event,
            "title": notice.title,
            "titles": notice.titles,
            "created_at": now,
        },
    )
    copy = notice.email_copy() if created else None
    if created:
        other_copy(notice, now=now)
    if copy is not None:
        key, email = copy
        enqueue_email(key=key, due_at=now, **email)
    return note


def mark_read(*, agent: Agent, pk: int, now: datetime) -> Notification | None:
    """The agent's own notification ``pk``, marked read at ``now`` unless it was read before
    (the first reading's time stays); ``None`` if the agent has no such notification."""
    note = Notification.objects.filter(pk=pk, agent=agent).first()
    if note is not None and note.read_at is None:
        note.read_at = now
        note.save(update_fields=["read_at"])
    return note


def mark_all_read(*, agent: Agent, now: datetime) -> int:
    """Mark every unread notification of the agent read at ``now``; how many there were."""
    return Notification.objects.filter(agent=agent, read_at__isnull=True).update(read_at=now)
