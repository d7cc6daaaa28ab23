from django.urls import URLPattern, path

from soporte.channels.whatsapp import hooks

app_name = "whatsapp"

urlpatterns: list[URLPattern] = [
    path("hooks/whatsapp", hooks.whatsapp_hook, name="hook"),
]
