"""Rotations, their members, overrides, and the secret calendar feeds."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Layer(models.IntegerChoices):
    PRIMARY = 1, _("Rotation (primaries)")
    SECOND = 2, _("Second layer (secondaries)")


class OnCallRole(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")


class Rotation(models.Model):
    """Weekly shifts handed off at a local wall time; zone and handoff copied from the policy
    when the rotation is created (editing the policy later does not move them)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    zone = models.CharField(_("time zone"), max_length=64)
    handoff_weekday = models.PositiveSmallIntegerField(_("handoff day"), choices=Weekday.choices)
    handoff_time = models.TimeField(_("handoff time"))
    starts_at = models.DateTimeField(
        _("starts"), help_text=_("The first member's shift contains this instant.")
    )
    weeks = models.PositiveSmallIntegerField(_("weeks per shift"), default=1)
    takes_pages = models.BooleanField(
        _("takes pages"),
        default=False,
        help_text=_("The rotation whose primary and secondary are paged. Exactly one does."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["takes_pages"],
                condition=Q(takes_pages=True),
                name="oncall_one_paging_rotation",
                violation_error_message=_(
                    "Only one rotation takes pages: choose it on the console's On call page."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class RotationMember(models.Model):
    """An agent's place in a rotation (layer 1) or in its second layer (layer 2)."""

    rotation = models.ForeignKey(
        Rotation, verbose_name=_("rotation"), on_delete=models.CASCADE, related_name="members"
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="rotation_places"
    )
    layer = models.PositiveSmallIntegerField(_("layer"), choices=Layer.choices, default=1)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("rotation member")
        verbose_name_plural = _("rotation members")
        ordering = ["rotation", "layer", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "layer", "position"], name="oncall_member_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rotation} {self.layer}.{self.position}: {self.agent.name}"


def max_override() -> timedelta:
    """The longest an override may last (settings ``ONCALL_MAX_OVERRIDE_DAYS``)."""
    return timedelta(days=settings.ONCALL_MAX_OVERRIDE_DAYS)


class Override(models.Model):
    """``covering`` holds ``role`` in ``rotation`` during ``[starts_at, ends_at)``."""

    rotation = models.ForeignKey(
        Rotation, verbose_name=_("rotation"), on_delete=models.CASCADE, related_name="overrides"
    )
    role = models.CharField(_("role"), max_length=10, choices=OnCallRole.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    covering = models.ForeignKey(
        Agent, verbose_name=_("covering"), on_delete=models.PROTECT, related_name="+"
    )
    covered = models.ForeignKey(
        Agent,
        verbose_name=_("covered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        Agent,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        ordering = ["rotation", "starts_at"]
        indexes = [models.Index(fields=["rotation", "ends_at"], name="oncall_override_ends")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="oncall_override_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rotation}: {self.covering.name} ({self.role})"

    def clean(self) -> None:
        """The admin's check: at most ``max_override()`` long (a year-9999 end never reaches the
        database)."""
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > max_override():
            message = _("An override lasts at most %(days)s days.") % {"days": max_override().days}
            raise ValidationError({"ends_at": message})


class CalendarFeed(models.Model):
    """The secret address of a rotation's or an agent's calendar; only its hash is kept."""

    rotation = models.OneToOneField(
        Rotation,
        verbose_name=_("rotation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feed",
    )
    agent = models.OneToOneField(
        Agent,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="oncall_feed",
    )
    digest = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("digest"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(rotation__isnull=False, agent__isnull=True)
                | Q(rotation__isnull=True, agent__isnull=False),
                name="oncall_feed_owner",
            )
        ]

    def __str__(self) -> str:
        return str(self.rotation or self.agent)
