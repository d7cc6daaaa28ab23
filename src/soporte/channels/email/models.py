"""The email channel's records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AutoReply"]


class AutoReply(models.Model):
    """An automatic reply (a new ticket's acknowledgement) emailed to an address: RFC 3834
    allows one per sender per ``ingest.AUTO_REPLY_INTERVAL``, so a loop with another robot
    stays short."""

    address = models.CharField(_("address"), max_length=254)
    """Lower-case."""
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        app_label = "channels"
        verbose_name = _("automatic reply")
        verbose_name_plural = _("automatic replies")
        indexes = [models.Index(fields=["address", "sent_at"], name="auto_reply_recent")]

    def __str__(self) -> str:
        return f"{self.address} {self.sent_at:%Y-%m-%d %H:%M}"
