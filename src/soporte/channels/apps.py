from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "soporte.channels"
    label = "channels"
    verbose_name = _("Channels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soporte.channels.chat import selectors as chat
        from soporte.channels.email import handlers  # noqa: F401 - registers the IMAP poll job
        from soporte.channels.whatsapp import media, outbound  # noqa: F401 - job, transport
        from soporte.tickets import replies

        replies.LIVE_CHANNELS["chat"] = chat.is_live  # replies reach a live chat's widget
        replies.CARRIERS["whatsapp"] = outbound.carry  # replies go out over WhatsApp
