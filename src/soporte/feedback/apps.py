"""The feedback loop (SUPPORT.md "Feedback loop", READING.md §7): CSAT surveys on every
resolution, the weekly support review, recurrences ("anything that happens twice") and
post-mortems."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "soporte.feedback"
    label = "feedback"
    verbose_name = _("Feedback")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the signal receivers (``handlers``) and the Monday digest's job (``digest``)
        from soporte.feedback import digest, handlers, links  # noqa: F401
        from soporte.tickets import replies

        if links.invite not in replies.SURVEY_INVITES:  # the solved notice carries the survey
            replies.SURVEY_INVITES.append(links.invite)
