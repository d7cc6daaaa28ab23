"""The knowledge base (SUPPORT.md "Knowledge base", READING.md §7): public articles in Spanish
and English with translations linked to their source, search, deflection, the articles agents
answer with, and the pinned top-10 FAQs per locale."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "soporte.kb"
    label = "kb"
    verbose_name = _("Knowledge base")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the receivers (``handlers``: the search index, the articles a reply links to) and
        # the pinned FAQs' weekly job
        from soporte.kb import faq_week, handlers  # noqa: F401
