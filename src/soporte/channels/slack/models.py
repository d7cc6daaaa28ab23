"""The Slack channel's records: shared channels and their organisations, the threads that are
tickets, and who each Slack user is in each organisation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Contact, Organisation
from soporte.tickets.models import Ticket

__all__ = ["SlackChannel", "SlackPerson", "SlackThread"]


class SlackChannel(models.Model):
    """A Slack channel our app is in. Linked to an organisation (in the admin), its messages
    are that organisation's tickets; a channel first seen unlinked is recorded with none, and
    its messages go to the unidentified senders until an administrator links it."""

    team_id = models.CharField(_("Slack workspace"), max_length=40)
    """The workspace the events come through (ours): the envelope's ``team_id``."""
    channel_id = models.CharField(_("Slack channel"), max_length=40)
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="slack_channels",
    )
    created_at = models.DateTimeField(_("first seen"))

    class Meta:
        app_label = "channels"
        verbose_name = _("Slack channel")
        verbose_name_plural = _("Slack channels")
        constraints = [
            models.UniqueConstraint(fields=["team_id", "channel_id"], name="slack_channel_once")
        ]

    def __str__(self) -> str:
        return self.name or self.channel_id

    @property
    def scope(self) -> str:
        """The scope of its messages' ts (``tickets.selectors.MessageKey``): unique within a
        channel."""
        return f"slack:{self.team_id}:{self.channel_id}"


class SlackThread(models.Model):
    """A ticket's Slack thread: the ts of its root message in its channel."""

    channel = models.ForeignKey(
        SlackChannel, verbose_name=_("Slack channel"), on_delete=models.CASCADE
    )
    thread_ts = models.CharField(_("thread"), max_length=40)
    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="slack_thread"
    )

    class Meta:
        app_label = "channels"
        verbose_name = _("Slack thread")
        verbose_name_plural = _("Slack threads")
        constraints = [
            models.UniqueConstraint(fields=["channel", "thread_ts"], name="slack_thread_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}/{self.thread_ts} #{self.ticket_id}"


class SlackPerson(models.Model):
    """Who a Slack user is in an organisation: found once (``users.info``), then reused."""

    user_id = models.CharField(_("Slack user"), max_length=40)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE)

    class Meta:
        app_label = "channels"
        verbose_name = _("Slack person")
        verbose_name_plural = _("Slack people")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "organisation"], name="slack_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.contact_id}"
