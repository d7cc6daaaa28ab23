"""Portal routes, under /portal/."""

from __future__ import annotations

from django.urls import URLPattern, path

from soporte.portal import suggestions, views

app_name = "portal"

urlpatterns: list[URLPattern] = [
    path("", views.ticket_list, name="tickets"),
    path("tickets/new", views.new_ticket, name="new"),
    path("tickets/new/suggestions", suggestions.suggestions, name="suggestions"),
    path("tickets/<int:pk>", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/received", views.received, name="received"),
    path("tickets/<int:pk>/reply", views.reply, name="reply"),
    path("tickets/<int:pk>/solve", views.mark_solved, name="solve"),
    path("tickets/<int:pk>/survey", views.answer_survey, name="survey"),
]
