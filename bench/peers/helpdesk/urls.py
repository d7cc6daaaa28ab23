"""django-helpdesk at the root (its ticket API at ``/api/tickets/``) and a health check."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("", include("helpdesk.urls")),
]
