"""The public knowledge base's routes, under ``/kb/`` (no sign-in)."""

from __future__ import annotations

from django.urls import URLPattern, path

from soporte.kb import deflection_views, images, views

app_name = "kb"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("images/<int:pk>", images.image, name="image"),
    path("<str:language>/<slug:slug>", views.article, name="article"),
    path("suggested/<str:token>/<int:article>", deflection_views.suggested, name="suggested"),
]
