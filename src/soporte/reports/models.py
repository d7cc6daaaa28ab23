"""What the reports read: one fact row per ticket, computed once with the batch business clock,
and the daily aggregates of those facts, so a quarter at a million tickets reads a few thousand
rows, never the tickets (docs/reports.md)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Organisation
from soporte.reports.domain.measures import BUCKETS, HOURS
from soporte.tickets.models import Ticket

KEYS = ("day", "plan", "severity", "channel", "tier", "organisation")
"""The dimensions of a daily aggregate: every filter of a report is one of them."""

OUTCOMES = ("met", "missed", "breached", "running")
FR_BUCKETS = tuple(f"fr_b{i}" for i in range(BUCKETS))
RES_BUCKETS = tuple(f"res_b{i}" for i in range(BUCKETS))
BREACH_HOURS = tuple(f"breach_h{h}" for h in range(HOURS))


class TicketFact(models.Model):
    """A ticket as the reports see it, as of ``soporte.reports.facts`` last computing it."""

    ticket = models.OneToOneField(
        Ticket,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ticket"),
    )
    day = models.DateField(_("received on"))
    """The day it was received, in Mexico City: the day every report counts it on."""
    plan = models.CharField(_("plan"), max_length=20)
    severity = models.CharField(_("severity"), max_length=2)
    channel = models.CharField(_("channel"), max_length=10)
    tier = models.CharField(_("tier reached"), max_length=2)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    first_response = models.CharField(_("first response"), max_length=10)
    """The SLA clock's outcome (``domain.measures.Outcome``)."""
    channel_response = models.CharField(_("channel response"), max_length=10, blank=True)
    """The channel clock's outcome; empty when the ticket has none (email, portal)."""
    first_response_seconds = models.BigIntegerField(_("first response (business s)"), null=True)
    first_response_bucket = models.PositiveSmallIntegerField(_("first response bucket"), null=True)
    resolution_seconds = models.BigIntegerField(_("resolution (business s)"), null=True)
    resolution_bucket = models.PositiveSmallIntegerField(_("resolution bucket"), null=True)
    breach_hour = models.PositiveSmallIntegerField(_("breach hour"), null=True)
    """Hour of day (Mexico City) the first-response clock went past its target."""
    resolved = models.BooleanField(_("resolved"), default=False)
    resolved_at_t1 = models.BooleanField(_("resolved at T1"), default=False)
    escalated_t1_t2 = models.PositiveSmallIntegerField(_("escalations T1→T2"), default=0)
    escalated_t2_t3 = models.PositiveSmallIntegerField(_("escalations T2→T3"), default=0)
    founder_cto_paged = models.BooleanField(_("founder and CTO paged"), default=False)
    recheck_at = models.DateTimeField(_("recheck after"), null=True, db_index=True)
    """A running clock's outcome changes after this instant with nothing happening to the
    ticket (it breaches): the refresh job computes the fact again once it has passed."""

    class Meta:
        verbose_name = _("ticket fact")
        verbose_name_plural = _("ticket facts")
        indexes = [models.Index(fields=["day"], name="ticketfact_day")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.day} {self.first_response}"


class DailyFact(models.Model):
    """The facts of one day × plan × severity × channel × tier × organisation, added up."""

    day = models.DateField(_("day"))
    plan = models.CharField(_("plan"), max_length=20)
    severity = models.CharField(_("severity"), max_length=2)
    channel = models.CharField(_("channel"), max_length=10)
    tier = models.CharField(_("tier reached"), max_length=2)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    tickets = models.PositiveIntegerField(_("tickets"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    resolved_at_t1 = models.PositiveIntegerField(_("resolved at T1"), default=0)
    escalated_t1_t2 = models.PositiveIntegerField(_("escalations T1→T2"), default=0)
    escalated_t2_t3 = models.PositiveIntegerField(_("escalations T2→T3"), default=0)
    founder_cto_paged = models.PositiveIntegerField(_("founder and CTO paged"), default=0)

    class Meta:
        verbose_name = _("daily fact")
        verbose_name_plural = _("daily facts")
        constraints = [models.UniqueConstraint(fields=list(KEYS), name="dailyfact_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.plan} {self.severity} {self.channel} {self.tier}"


COUNTS: dict[str, Any] = {
    **{f"fr_{o}": format_lazy(_("first responses: {outcome}"), outcome=o) for o in OUTCOMES},
    **{f"ch_{o}": format_lazy(_("channel responses: {outcome}"), outcome=o) for o in OUTCOMES},
    **{b: format_lazy(_("first responses in bucket {n}"), n=i) for i, b in enumerate(FR_BUCKETS)},
    **{b: format_lazy(_("resolutions in bucket {n}"), n=i) for i, b in enumerate(RES_BUCKETS)},
    **{b: format_lazy(_("breaches at {hour}:00"), hour=h) for h, b in enumerate(BREACH_HOURS)},
}
"""The counters added to :class:`DailyFact` below: first-response and channel outcomes, the
two time distributions' buckets and the breaches per hour of day (one column each, so the
database adds them up)."""

for _name, _label in COUNTS.items():
    DailyFact.add_to_class(_name, models.PositiveIntegerField(_label, default=0))


class StaleFact(models.Model):
    """A ticket whose fact is out of date: queued in the transaction that changed the ticket
    (``reports.handlers``), taken off by the refresh job once it computed the fact again.
    ``token`` changes with every queueing, so a change made while the job ran stays queued."""

    ticket = models.OneToOneField(
        Ticket,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ticket"),
    )
    token = models.BigIntegerField(_("token"))

    class Meta:
        verbose_name = _("stale ticket fact")
        verbose_name_plural = _("stale ticket facts")

    def __str__(self) -> str:
        return f"#{self.ticket_id}"
