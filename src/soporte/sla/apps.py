from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "soporte.sla"
    label = "sla"
    verbose_name = _("SLA")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soporte.sla import handlers  # noqa: F401 - registers the warning and breach timers
