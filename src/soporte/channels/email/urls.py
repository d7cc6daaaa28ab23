from django.urls import URLPattern, path

from soporte.channels.email import hooks

app_name = "email"

urlpatterns: list[URLPattern] = [
    path("hooks/email", hooks.email_hook, name="hook"),
]
