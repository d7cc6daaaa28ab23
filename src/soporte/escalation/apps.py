from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "soporte.escalation"
    verbose_name = _("Paging")

    def ready(self) -> None:
        from soporte.escalation import handlers  # noqa: F401  (job handlers, signal receivers)
