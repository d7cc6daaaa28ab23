from django.urls import URLPattern, re_path

from soporte.oncall import views

app_name = "oncall"

urlpatterns: list[URLPattern] = [
    re_path(r"^calendar/(?P<secret>[A-Za-z0-9_-]{16,128})\.ics$", views.calendar, name="calendar"),
]
