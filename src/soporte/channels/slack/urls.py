from django.urls import URLPattern, path

from soporte.channels.slack import hooks

app_name = "slack"

urlpatterns: list[URLPattern] = [
    path("hooks/slack", hooks.slack_hook, name="hook"),
    path("hooks/slack/interactions", hooks.slack_interactions, name="interactions"),
]
