"""Sign-in pages: email + password, one-time links by email, sign-out, password reset."""

from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from soporte.accounts import signin
from soporte.accounts.forms import ResetPasswordForm, SignInForm, SignInLinkForm

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _signed_in(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """Sign ``user`` in and send them on: to ``next`` if given, else to their home."""
    login(request, user, backend=_BACKEND)
    response = HttpResponseRedirect(next_url or signin.home_for(user))
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            signin.user_language(user),
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=cast(Literal["Lax", "Strict", "None"], settings.LANGUAGE_COOKIE_SAMESITE),
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


def home(request: HttpRequest) -> HttpResponse:
    """``/``: a signed-in person goes to their own home; anyone else to the sign-in page."""
    if request.user.is_authenticated:
        return redirect(signin.home_for(request.user))
    return redirect("login")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url or signin.home_for(request.user))
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        return _signed_in(request, form.user, next_url)
    status = 200
    if form.errors and any(e.code == "throttled" for e in form.non_field_errors().as_data()):
        status = 429
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def link_request(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link. Whatever the address, the same "check your email" page follows."""
    form = SignInLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        signin.send_link(
            email=form.cleaned_data["email"],
            ip=signin.client_ip(request),
            link_for=lambda token: request.build_absolute_uri(
                reverse("login_link", kwargs={"token": token})
            ),
            now=timezone.now(),
        )
        return redirect("login_link_sent")
    return render(request, "accounts/link_request.html", {"form": form})


@never_cache
def link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/link_sent.html")


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def link_signin(request: HttpRequest, token: str) -> HttpResponse:
    """The page a sign-in link opens. Opening it signs nobody in (mail scanners prefetch
    links); the button on it does, once."""
    user = signin.user_for_link(token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=410)
    if request.method == "POST":
        return _signed_in(request, user, "")
    return render(request, "accounts/link_confirm.html", {"email": user.email})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
