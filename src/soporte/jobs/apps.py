from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "soporte.jobs"
    label = "jobs"
    verbose_name = _("Jobs and outbox")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the built-in handlers: outbox delivery (and the email transport).
        from soporte.jobs import outbox  # noqa: F401
