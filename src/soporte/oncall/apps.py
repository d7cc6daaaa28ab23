from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnCallConfig(AppConfig):
    name = "soporte.oncall"
    label = "oncall"
    verbose_name = _("On call")
    default_auto_field = "django.db.models.BigAutoField"
