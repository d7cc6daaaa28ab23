"""URL configuration: the health check, the admin, the language switch, the REST API (every
app's router mounted on :data:`soporte.api.api`) and each app's pages."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from soporte.accounts.api import router as accounts_router
from soporte.accounts.forms import AdminSignInForm
from soporte.api import api, error_response, unknown_path
from soporte.config import views
from soporte.escalation.api import router as paging_router
from soporte.feedback.api import recurrences_router
from soporte.feedback.api import router as recurrence_router
from soporte.sla.api import router as sla_router
from soporte.tickets.api import attachments_router
from soporte.tickets.api import router as tickets_router
from soporte.tickets.attachments import AttachmentRejected
from soporte.tickets.selectors import KeyInUse
from soporte.tickets.services import TicketError

# Ninja types handlers loosely (an exception or its class): each takes the exception it is
# registered for.


def _on_ticket_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(request, 409, str(exc))


def _on_rejected(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(request, 422, [{"field": "file", "source": "file", "message": str(exc)}])


api.add_exception_handler(TicketError, _on_ticket_error)
api.add_exception_handler(KeyInUse, _on_ticket_error)
api.add_exception_handler(AttachmentRejected, _on_rejected)
api.add_router("/tickets", tickets_router)
api.add_router("/tickets", sla_router)
api.add_router("/tickets", paging_router)
api.add_router("/tickets", recurrence_router)
api.add_router("/recurrences", recurrences_router)
api.add_router("/attachments", attachments_router)
api.add_router("", accounts_router)

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", unknown_path),  # ninja's own root answers Django's HTML 404
    path("api/", api.urls),
    re_path(r"^api/", unknown_path),
    path("console/", include("soporte.console.urls")),
    path("portal/", include("soporte.portal.urls")),
    path("chat/", include("soporte.channels.chat.urls")),
    path("csat/", include("soporte.feedback.urls")),
    path("kb/", include("soporte.kb.urls")),
    path("oncall/", include("soporte.oncall.urls")),
    path("", include("soporte.notify.urls")),
    path("", include("soporte.channels.email.urls")),
    path("", include("soporte.channels.slack.urls")),
    path("", include("soporte.channels.voice.urls")),
    path("", include("soporte.channels.whatsapp.urls")),
    path("", include("soporte.escalation.urls")),
    path("", include("soporte.accounts.urls")),
    path("", include("soporte.tickets.urls")),
]

if not settings.DEBUG:
    # Debug mode serves static files through runserver/staticfiles; otherwise (gunicorn under
    # `soporte serve`) the collected files in STATIC_ROOT are served here. No CDN, no proxy needed.
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.STATIC_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.STATIC_ROOT},
        )
    )
else:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

admin.site.site_header = _("soporte: TrackMyVend support desk")
admin.site.site_title = _("soporte administration")
admin.site.index_title = _("Administration")
admin.site.login_form = AdminSignInForm  # on the sign-in throttle, as /login/ is
