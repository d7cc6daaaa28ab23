"""Signing in: who goes where, the throttle, and one-time sign-in links.

- **Throttle.** At most :data:`MAX_FAILURES` wrong passwords per email + IP address within
  :data:`WINDOW`; further attempts are refused without checking the password. Sign-in links:
  at most :data:`MAX_LINKS` per email within the window (so the form cannot be used to flood a
  mailbox). Attempts are rows in the database, so every web process counts the same ones.
- **Sign-in links** are signed (``django.core.signing``, the project's secret key), expire after
  :data:`LINK_MAX_AGE`, and are single-use: they carry a fingerprint of the account's password
  hash and last sign-in time, and signing in changes the last sign-in time.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import SignInAttempt
from soporte.jobs.outbox import enqueue_email

MAX_FAILURES = 5
MAX_LINKS = 3
WINDOW = timedelta(minutes=15)
LINK_MAX_AGE = timedelta(minutes=15)
_KEEP = timedelta(days=1)
_LINK_SALT = "soporte.accounts.signin-link"

PORTAL_HOME = "/portal/"
CONSOLE_HOME = "/console/"
ADMIN_HOME = "/admin/"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The peer address. Forwarded headers are not trusted (anyone can send them)."""
    return request.META.get("REMOTE_ADDR") or None


def home_for(user: User | AnonymousUser) -> str:
    """Where a signed-in person starts: agents the console, contacts the portal."""
    if getattr(user, "agent", None) is not None:
        return CONSOLE_HOME
    if getattr(user, "contact", None) is not None:
        return PORTAL_HOME
    if getattr(user, "is_staff", False):
        return ADMIN_HOME
    return PORTAL_HOME


def user_language(user: User) -> str:
    """The account's language as a Django language code (``es-mx`` or ``en``)."""
    person = getattr(user, "agent", None) or getattr(user, "contact", None)
    return "en" if getattr(person, "locale", "es") == "en" else "es-mx"


# --------------------------------------------------------------------------- throttle


def failures_left(email: str, ip: str | None, *, now: datetime) -> int:
    """How many more wrong passwords this email + address may try now (0: throttled)."""
    return max(0, MAX_FAILURES - _recent(SignInAttempt.Kind.PASSWORD_FAILED, email, ip, now))


def retry_after(email: str, ip: str | None, *, now: datetime) -> timedelta:
    """How long until the oldest failure in the window leaves it."""
    oldest = (
        _attempts(SignInAttempt.Kind.PASSWORD_FAILED, email, ip, now)
        .order_by("-at")
        .values_list("at", flat=True)[MAX_FAILURES - 1 : MAX_FAILURES]
    )
    first = next(iter(oldest), None)
    return max(timedelta(0), first + WINDOW - now) if first else timedelta(0)


def record_failure(email: str, ip: str | None, *, now: datetime) -> None:
    _record(SignInAttempt.Kind.PASSWORD_FAILED, email, ip, now)


def clear_failures(email: str, ip: str | None) -> None:
    """A successful sign-in forgets the failures from that address."""
    SignInAttempt.objects.filter(
        kind=SignInAttempt.Kind.PASSWORD_FAILED, email=normalise_email(email), ip=ip
    ).delete()


def _attempts(kind: str, email: str, ip: str | None, now: datetime) -> Any:
    rows = SignInAttempt.objects.filter(
        kind=kind, email=normalise_email(email), at__gt=now - WINDOW
    )
    return rows.filter(ip=ip) if kind == SignInAttempt.Kind.PASSWORD_FAILED else rows


def _recent(kind: str, email: str, ip: str | None, now: datetime) -> int:
    return int(_attempts(kind, email, ip, now).count())


def _record(kind: str, email: str, ip: str | None, now: datetime) -> None:
    with transaction.atomic():
        SignInAttempt.objects.filter(at__lt=now - _KEEP).delete()
        SignInAttempt.objects.create(kind=kind, email=normalise_email(email)[:254], ip=ip, at=now)


# --------------------------------------------------------------------------- sign-in links


def _fingerprint(user: User) -> str:
    last = user.last_login.isoformat() if user.last_login else ""
    value = f"{user.pk}|{user.password}|{last}|{user.is_active}"
    return salted_hmac(_LINK_SALT, value).hexdigest()[:32]


def make_link_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=_LINK_SALT)


def user_for_link(token: str) -> User | None:
    """The account a link signs in, or None when it is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("f", "")), _fingerprint(user)):
        return None
    return user


def send_link(*, email: str, ip: str | None, link_for: Any, now: datetime) -> bool:
    """Email a sign-in link to the contact or agent with this address, if there is one.

    ``link_for(token) -> str`` makes the absolute URL. Returns whether an email was queued;
    callers must not tell the visitor (addresses cannot be probed).
    """
    email = normalise_email(email)
    if not email or _recent(SignInAttempt.Kind.LINK_REQUESTED, email, ip, now) >= MAX_LINKS:
        return False
    user = (
        User.objects.filter(email__iexact=email, is_active=True)
        .select_related("contact", "agent")
        .first()
    )
    _record(SignInAttempt.Kind.LINK_REQUESTED, email, ip, now)
    if user is None or (
        getattr(user, "agent", None) is None and getattr(user, "contact", None) is None
    ):
        return False
    url = link_for(make_link_token(user))
    minutes = int(LINK_MAX_AGE.total_seconds() // 60)
    with override(user_language(user)):
        subject = _("Your sign-in link for TrackMyVend support")
        body = "\n".join(
            [
                _("Hello,"),
                "",
                _("Open this link to sign in to TrackMyVend support:"),
                url,
                "",
                _(
                    "The link works once, for %(minutes)d minutes. If you did not ask for it, "
                    "ignore this email: nobody can sign in without opening it."
                )
                % {"minutes": minutes},
                "",
                _("— TrackMyVend support"),
            ]
        )
    enqueue_email(
        key=f"signin-link:{user.pk}:{secrets.token_hex(8)}",
        to=[user.email],
        subject=subject,
        body=body,
        due_at=now,
    )
    return True
