"""A ticket's SLA clocks as stored: the policy values that govern them are copied on (snapshot)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.policy.durations import Basis, Target
from soporte.sla.domain import ClockKind, SlaClock
from soporte.tickets.models import Ticket


class Clock(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="clocks", verbose_name=_("ticket")
    )
    kind = models.CharField(
        _("clock"),
        max_length=20,
        choices=[(k.value, k.value.replace("_", " ")) for k in ClockKind],
    )
    target = models.CharField(_("target"), max_length=40)
    """The policy's words for the target: ``4 bh``, ``15 min 24/7``, ``same bd``."""
    basis = models.CharField(
        max_length=20, choices=[(b.value, b.value) for b in Basis], verbose_name=_("basis")
    )
    budget = models.DurationField(_("budget"))
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    breach_after = models.DateTimeField(_("breached after"))
    warn_at = models.DateTimeField(_("at risk from"))
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    warned_at = models.DateTimeField(_("leads warned"), null=True, blank=True)
    breached_at = models.DateTimeField(_("leads told of the breach"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    """Bumped on every recomputation; timer keys carry it."""
    policy_version = models.CharField(max_length=40, verbose_name=_("policy version"))

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind"], name="one_clock_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} due {self.due_at:%Y-%m-%d %H:%M}"

    def as_domain(self) -> SlaClock:
        return SlaClock(
            kind=ClockKind(self.kind),
            target=Target(Basis(self.basis), self.budget, self.target),
            started_at=self.started_at,
            due_at=self.due_at,
            budget=self.budget,
            fulfilled_at=self.fulfilled_at,
        )

    def apply(self, clock: SlaClock, *, warn_at: datetime, breach_after: datetime) -> None:
        self.target = clock.target.text
        self.basis = clock.target.basis.value
        self.budget = clock.budget
        self.started_at = clock.started_at
        self.due_at = clock.due_at
        self.fulfilled_at = clock.fulfilled_at
        self.warn_at = warn_at
        self.breach_after = breach_after
