"""The live chat's routes, under ``/chat/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from soporte.channels.chat import views

app_name = "chat"

urlpatterns: list[URLPattern] = [
    path("widget.js", views.widget, name="widget"),
    path("api/hours", views.hours, name="hours"),
    path("api/start", views.start, name="start"),
    path("api/conversation", views.conversation, name="conversation"),
    path("api/messages", views.messages, name="messages"),
    path("api/suggestions", views.suggestions, name="suggestions"),
    path("api/faqs", views.faqs, name="faqs"),
    path("api/survey", views.survey, name="survey"),
    path("api/end", views.end, name="end"),
    path("demo/", views.demo, name="demo"),
]
