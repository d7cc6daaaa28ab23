from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "soporte.notify"
    label = "notify"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the outbox transports (and the PagerDuty webhook's job handler).
        from soporte.notify.transports import pagerduty, twilio, webhook  # noqa: F401
