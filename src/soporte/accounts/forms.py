"""Sign-in forms: email + password, the sign-in link request, and password reset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from soporte.accounts import signin
from soporte.accounts.signin import normalise_email


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
        email = normalise_email(email)
        ip = signin.client_ip(self.request)
        now = timezone.now()
        if signin.failures_left(email, ip, now=now) <= 0:
            wait = signin.retry_after(email, ip, now=now)
            minutes = max(1, -(-int(wait.total_seconds()) // 60))
            raise forms.ValidationError(
                gettext(
                    "Too many failed sign-in attempts. Wait %(minutes)d minutes and try again, "
                    "or ask for a sign-in link by email."
                )
                % {"minutes": minutes},
                code="throttled",
            )
        user = authenticate(self.request, username=email, password=password)
        if user is None:
            signin.record_failure(email, ip, now=now)
            raise forms.ValidationError(
                gettext("That email and password do not match. Check them and try again."),
                code="invalid_login",
            )
        signin.clear_failures(email, ip)
        self.user = user
        return data


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
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (u for u in users if u.email.lower() == email.lower())
