"""Sign-in routes: /, /login/, /logout/, /login/link/…, /login/reset/…"""

from __future__ import annotations

from django.urls import URLPattern, path

from soporte.accounts import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/link/", views.link_request, name="login_link_request"),
    path("login/link/sent/", views.link_sent, name="login_link_sent"),
    path("login/link/<str:token>/", views.link_signin, name="login_link"),
    path("login/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("login/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "login/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "login/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
