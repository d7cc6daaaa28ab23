"""Ticket routes outside the portal and the console: attachment downloads."""

from __future__ import annotations

from django.urls import URLPattern, path

from soporte.tickets import views

urlpatterns: list[URLPattern] = [
    path("attachments/<int:pk>", views.attachment, name="attachment"),
]
