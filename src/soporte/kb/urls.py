"""The public knowledge base's routes, under ``/kb/`` (no sign-in)."""

from __future__ import annotations

from django.urls import URLPattern, path

from soporte.kb import deflection_views, images, views, vote_views

app_name = "kb"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("images/<int:pk>", images.image, name="image"),
    path("suggested/<str:token>/<int:article>", deflection_views.suggested, name="suggested"),
    path("search", views.search, name="search"),
    path("<str:language>/c/<slug:slug>", views.category, name="category"),
    path("<str:language>/<slug:slug>", views.article, name="article"),
    path("<str:language>/<slug:slug>/vote", vote_views.vote, name="vote"),
]
