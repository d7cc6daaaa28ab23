"""Sign-in forms: email + password, the sign-in link request, and password reset."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from soporte.accounts import signin
from soporte.accounts.models import email_is
from soporte.jobs.outbox import enqueue_email


class SignInForm(forms.Form):
    """One form for contacts and agents; the account's username is its email address."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, password = data.get("email"), data.get("password")
        if not email or not password:
            return data
        try:
            user = signin.check_password(
                self.request, signin.normalise_email(email), password, now=timezone.now()
            )
        except signin.Throttled as throttled:
            raise throttled_error(throttled) from None
        if user is None:
            raise forms.ValidationError(
                gettext("That email and password do not match. Check them and try again."),
                code="invalid_login",
            )
        self.user = user
        return data


def throttled_error(throttled: signin.Throttled) -> forms.ValidationError:
    minutes = max(1, -(-int(throttled.retry_after.total_seconds()) // 60))
    return forms.ValidationError(
        gettext(
            "Too many failed sign-in attempts. Wait %(minutes)d minutes and try again, "
            "or ask for a sign-in link by email."
        )
        % {"minutes": minutes},
        code="throttled",
    )


class AdminSignInForm(AdminAuthenticationForm):
    """The admin's sign-in form, on the same throttle as ``/login/`` (one count for both)."""

    def clean(self) -> dict[str, Any]:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = signin.check_password(
                    self.request, username, password, now=timezone.now()
                )
            except signin.Throttled as throttled:
                raise throttled_error(throttled) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class SignInLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ResetPasswordForm(PasswordResetForm):
    """Django's reset form, also for accounts that never had a password (made from an email
    ticket): proving the mailbox is what the sign-in link asks too."""

    def get_users(self, email: str) -> Iterator[Any]:
        users = get_user_model()._default_manager.filter(email_is(email, "email"), is_active=True)
        return (u for u in users if u.email.lower() == email.lower())

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Through the outbox like every other email (retried; headers one line each)."""
        html = html_email_template_name and loader.render_to_string(
            html_email_template_name, context
        )
        enqueue_email(
            key=f"password-reset:{secrets.token_hex(8)}",
            to=[to_email],
            subject=loader.render_to_string(subject_template_name, context),
            body=loader.render_to_string(email_template_name, context),
            html=html or None,
            from_email=from_email,
            due_at=timezone.now(),
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Email the reset link, at most :data:`signin.MAX_LINKS` times per address within
        :data:`signin.WINDOW`, counted with the sign-in links (same page either way)."""
        request = kwargs.get("request")
        ip = signin.client_ip(request) if request is not None else None
        if signin.take_link_place(self.cleaned_data["email"], ip, now=timezone.now()):
            super().save(*args, **kwargs)
