"""Reports (SUPPORT.md as a whole; issue 13 §3): how support is doing, from the tickets, their
clocks, pages and surveys, counted in business time."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "soporte.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the receivers that queue stale facts and the refresh job (``handlers``)
        from soporte.reports import handlers  # noqa: F401
