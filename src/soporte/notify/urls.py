from django.urls import URLPattern, path

from soporte.notify import views

app_name = "notify"

urlpatterns: list[URLPattern] = [
    path("hooks/pagerduty", views.pagerduty_webhook, name="pagerduty_webhook"),
]
