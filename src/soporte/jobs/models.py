"""The job/timer table and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_ATTEMPTS = 8


class Job(models.Model):
    """A unit of deferred work: run handler ``kind`` once at or after ``due_at``.

    ``key`` is the idempotency key: one row per key, ever. Scheduling an existing pending key
    reschedules it; a key that is done, failed or cancelled stays that way (put a version in
    the key to get a new effect).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=100)
    key = models.CharField(_("key"), max_length=255, unique=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("max attempts"), default=DEFAULT_MAX_ATTEMPTS)
    urgent = models.BooleanField(_("urgent"), default=False)
    """Claimed before every job that is not: pages, their notifications and timers."""
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    locked_by = models.CharField(_("locked by"), max_length=200, blank=True, default="")
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = (
            # The claim query: pending and due, or running with an expired lease.
            models.Index(fields=["status", "due_at"], name="jobs_job_claim"),
            models.Index(fields=["status", "lease_until"], name="jobs_job_lease"),
            models.Index(fields=["status", "urgent", "due_at"], name="jobs_job_urgent"),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.status})"


class OutboxMessage(models.Model):
    """One external delivery (email now; PagerDuty, webhook, Slack, WhatsApp, SMS later).

    Delivered by the job ``outbox:<idempotency_key>``; at least once, with the idempotency key
    passed to the receiving side so that a re-send after a crash is recognisable.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    transport = models.CharField(_("transport"), max_length=30)
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = (models.Index(fields=["status", "created_at"], name="jobs_outbox_status"),)

    def __str__(self) -> str:
        return f"{self.transport} {self.idempotency_key} ({self.status})"

    @property
    def summary(self) -> str:
        payload: dict[str, Any] = self.payload if isinstance(self.payload, dict) else {}
        return str(payload.get("subject") or payload.get("summary") or "")


def created_stamp(model: type[Job | OutboxMessage]) -> datetime:
    """The ``created_at`` a new row of ``model`` gets: its field's ``auto_now_add`` stamp, as
    the ORM's own insert writes it (when the row was written, never a time a caller decides),
    for the inserts that skip the ORM (``jobs.services.schedule``, ``jobs.outbox.enqueue``)."""
    field = cast(models.DateTimeField[Any, Any], model._meta.get_field("created_at"))
    return cast(datetime, field.pre_save(model(), add=True))
