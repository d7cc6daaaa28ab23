from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "soporte.channels"
    label = "channels"
    verbose_name = _("Channels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soporte.channels import failures  # noqa: F401 - hears failed deliveries
        from soporte.channels.chat import selectors as chat
        from soporte.channels.email import handlers  # noqa: F401 - registers the IMAP poll job
        from soporte.channels.slack import inbound as slack
        from soporte.channels.slack import outbound as slack_out
        from soporte.channels.voice import replies as voice
        from soporte.channels.whatsapp import media  # noqa: F401 - registers the media job
        from soporte.channels.whatsapp import outbound as whatsapp
        from soporte.tickets import replies

        replies.LIVE_CHANNELS["chat"] = chat.is_live  # replies reach a live chat's widget
        replies.CARRIERS[slack.CHANNEL] = slack_out.post_reply  # to the ticket's thread
        replies.CARRIERS["whatsapp"] = whatsapp.carry  # replies go out over WhatsApp
        replies.CARRIERS["phone"] = voice.carry  # by SMS to a caller without an address
