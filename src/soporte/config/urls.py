"""URL configuration: the health check, the admin and the language switch."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from soporte.accounts.forms import AdminSignInForm
from soporte.config import api, views
from soporte.config.api import urls as api_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.unknown_path),  # ninja's own root answers Django's HTML 404
    path("api/", api_urls()),
    re_path(r"^api/", api.unknown_path),
    path("console/", include("soporte.console.urls")),
    path("portal/", include("soporte.portal.urls")),
    path("oncall/", include("soporte.oncall.urls")),
    path("", include("soporte.notify.urls")),
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
