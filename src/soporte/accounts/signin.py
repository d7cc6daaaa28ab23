"""Signing in: who goes where, the throttle, and one-time sign-in links.

- **Throttle.** At most :data:`MAX_FAILURES` wrong passwords per account name + IP address
  within :data:`WINDOW`, one count for ``/login/`` and ``/admin/login/``; further attempts are
  refused without checking the password. Emailed links (sign-in links and password resets): at
  most :data:`MAX_LINKS` per address within the window (so the forms cannot be used to flood a
  mailbox). Attempts are rows in the database, so every web process counts the same ones, and
  each attempt is counted and written in one locked step before the password is checked:
  concurrent attempts cannot all see the same count and all go through.
- **Sign-in links** are signed (``django.core.signing``, the project's secret key), expire after
  :data:`LINK_MAX_AGE`, and are single-use: they carry a fingerprint of the account's password
  hash and last sign-in time, and signing in changes the last sign-in time.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser, User
from django.core import signing
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from soporte.accounts.models import SignInAttempt, email_is
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


class Throttled(Exception):
    """Too many wrong passwords from this address: the password was not checked."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__(f"throttled for {retry_after}")
        self.retry_after = retry_after


def check_password(
    request: HttpRequest | None, username: str, password: str, *, now: datetime
) -> User | None:
    """The account ``username`` + ``password`` sign in, or None; raises :class:`Throttled`.

    The attempt is counted as a failure before the password is checked, and forgiven (with the
    earlier failures from this address) when it is right.
    """
    ip = client_ip(request) if request is not None else None
    if not _take_place(SignInAttempt.Kind.PASSWORD_FAILED, username, ip, MAX_FAILURES, now):
        raise Throttled(retry_after(username, ip, now=now))
    user = authenticate(request, username=username, password=password)
    if user is not None:
        clear_failures(username, ip)
    return user


def retry_after(email: str, ip: str | None, *, now: datetime) -> timedelta:
    """How long until the oldest failure in the window leaves it."""
    oldest = (
        _attempts(SignInAttempt.Kind.PASSWORD_FAILED, email, ip, now)
        .order_by("-at")
        .values_list("at", flat=True)[MAX_FAILURES - 1 : MAX_FAILURES]
    )
    first = next(iter(oldest), None)
    return max(timedelta(0), first + WINDOW - now) if first else timedelta(0)


def clear_failures(email: str, ip: str | None) -> None:
    """A successful sign-in forgets the failures from that address."""
    SignInAttempt.objects.filter(
        kind=SignInAttempt.Kind.PASSWORD_FAILED, email=normalise_email(email), ip=ip
    ).delete()


def take_link_place(email: str, ip: str | None, *, now: datetime) -> bool:
    """Count one emailed link (sign-in or reset) to ``email``; False when over the limit."""
    return _take_place(SignInAttempt.Kind.LINK_REQUESTED, email, ip, MAX_LINKS, now)


def _attempts(kind: str, email: str, ip: str | None, now: datetime) -> Any:
    rows = SignInAttempt.objects.filter(
        kind=kind, email=normalise_email(email), at__gt=now - WINDOW
    )
    return rows.filter(ip=ip) if kind == SignInAttempt.Kind.PASSWORD_FAILED else rows


def _recent(kind: str, email: str, ip: str | None, now: datetime) -> int:
    return int(_attempts(kind, email, ip, now).count())


def _take_place(kind: str, email: str, ip: str | None, limit: int, now: datetime) -> bool:
    """Count this attempt: write its row when fewer than ``limit`` are in the window.

    Counting and writing are one step for each email + address: on PostgreSQL under a
    transaction-scoped advisory lock on them, on SQLite in a write transaction (``BEGIN
    IMMEDIATE``: writers run one at a time). However many attempts run at once, at most
    ``limit`` pass.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            key = hashlib.sha256(f"{kind}|{normalise_email(email)}|{ip}".encode()).digest()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(key[:8], signed=True)]
                )
        if _recent(kind, email, ip, now) >= limit:
            return False
        SignInAttempt.objects.filter(at__lt=now - _KEEP).delete()
        SignInAttempt.objects.create(kind=kind, email=normalise_email(email)[:254], ip=ip, at=now)
    return True


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
    if not email or not take_link_place(email, ip, now=now):
        return False
    user = (
        User.objects.filter(email_is(email, "email"), is_active=True)
        .select_related("contact", "agent")
        .first()
    )
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
