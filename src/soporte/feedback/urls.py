"""The survey page's routes, under ``/csat/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from soporte.feedback import views

app_name = "feedback"

urlpatterns: list[URLPattern] = [
    path("<str:token>", views.survey_page, name="survey"),
    path("<str:token>/surveys", views.surveys_setting, name="surveys"),
]
