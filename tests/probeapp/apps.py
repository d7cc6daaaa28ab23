from django.apps import AppConfig


class ProbeAppConfig(AppConfig):
    name = "probeapp"
    label = "probeapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from probeapp import probe  # noqa: F401  (registers the probe handler)
