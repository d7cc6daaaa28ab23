"""Django settings for soporte.

Configuration comes from the environment:

- ``SOPORTE_DEBUG`` (``1``/``true``/``yes`` to turn on debug mode; off by default);
- ``SOPORTE_SECRET_KEY`` (else a development key in debug, or a random key kept in the data dir);
- ``SOPORTE_DATA_DIR`` (where the SQLite file and collected static files live; ``var``);
- ``DATABASE_URL`` (``postgres://user:pass@host:port/name``; SQLite when unset);
- ``SOPORTE_ALLOWED_HOSTS`` (comma-separated; ``localhost,127.0.0.1,[::1]`` by default);
- ``SOPORTE_POLICY`` (the policy file in force, read by :func:`soporte.policy.default_policy`);
- upload limits (screenshots and recordings, :mod:`soporte.tickets.attachments`):
  ``SOPORTE_MAX_UPLOAD_MB`` per file (20), ``SOPORTE_MAX_FILES_PER_MESSAGE`` (10),
  ``SOPORTE_MAX_MESSAGE_UPLOAD_MB`` per message (50), ``SOPORTE_MAX_TICKET_UPLOAD_MB`` per
  ticket (200); ``SOPORTE_KB_IMAGE_MAX_MB`` per knowledge-base image (5,
  :mod:`soporte.kb.services`);
- outgoing email (sent only by the outbox, :mod:`soporte.jobs.outbox`):
  ``SOPORTE_EMAIL_BACKEND`` (``smtp``, ``console``, ``file`` — into ``DATA_DIR/mail`` —,
  ``locmem`` or a dotted backend path); when unset: SMTP if ``SOPORTE_SMTP_HOST`` is set, the
  console in debug, else files in ``DATA_DIR/mail`` (a laptop has no mail relay: read the
  sign-in links there).
  ``SOPORTE_SMTP_HOST``/``PORT``/``USER``/``PASSWORD``, ``SOPORTE_SMTP_TLS`` (STARTTLS) or
  ``SOPORTE_SMTP_SSL`` (implicit TLS), ``SOPORTE_EMAIL_FROM`` (the sender; its domain also names
  the outbox's stable Message-IDs). Tests get Django's in-memory backend automatically.
- incoming email (:mod:`soporte.channels.email.imap`): ``SOPORTE_IMAP_URL``
  (``imaps://user:pass@host/INBOX``; unset: no mailbox is polled), ``SOPORTE_IMAP_PROCESSED``
  and ``SOPORTE_IMAP_REJECTED`` (the folders filed messages move to; ``Procesados``,
  ``Rechazados``), ``SOPORTE_IMAP_POLL_SECONDS`` (30).
- incoming email (:mod:`soporte.channels.email.ingest`): ``SOPORTE_EMAIL_MAX_MB``, the largest
  message filed (40; a larger one is rejected whole), ``SOPORTE_EMAIL_HOOK_SECRET``, the shared
  secret of ``POST /hooks/email`` (unset: the hook answers 404).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import django_stubs_ext
import structlog
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent

django_stubs_ext.monkeypatch()  # generic admin and queryset classes at runtime, as typed


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _pool_size() -> int:
    """``$SOPORTE_DB_POOL_SIZE``: PostgreSQL connections per process at most (default 16)."""
    raw = os.environ.get("SOPORTE_DB_POOL_SIZE", "").strip() or "16"
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(
            f"SOPORTE_DB_POOL_SIZE: expected a positive integer, got {raw!r}"
        )
    return int(raw)


def database_from_url(url: str) -> dict[str, Any]:
    """Django's DATABASES entry for a ``postgres://user:pass@host:port/name`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL: unsupported scheme {parts.scheme!r} (expected postgres://...)"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL: the database name is missing")
    options: dict[str, Any] = {
        # Parameters bound by the server, and statements run five times on a connection kept
        # prepared there: the same dozen statements open every ticket, and parsing and planning
        # them again each time was most of PostgreSQL's work.
        "server_side_binding": True,
        "prepare_threshold": 5,
        # One pool of connections per process, shared by its request threads: `soporte serve`
        # runs 128 threads per worker (the chat's long-polls), and one connection per thread
        # exhausted PostgreSQL's max_connections (100) under the chat bench. A thread waits
        # up to `timeout` seconds for a free connection.
        "pool": {"min_size": 1, "max_size": _pool_size(), "timeout": 30},
        **dict(parse_qsl(parts.query)),
    }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 0,  # the pool keeps the connections
        "OPTIONS": options,
        "TEST": {"NAME": f"test_{name}"},
    }


DEBUG = _flag("SOPORTE_DEBUG")

DATA_DIR = Path(os.environ.get("SOPORTE_DATA_DIR") or "var").resolve()


def _secret_key() -> str:
    """``$SOPORTE_SECRET_KEY``; in debug a fixed development key; else a random key kept in
    ``DATA_DIR/secret_key`` (made once, readable only by its owner) so that the embedded
    install works with one command and never runs on a key anyone else knows."""
    key = os.environ.get("SOPORTE_SECRET_KEY", "").strip()
    if key:
        return key
    if DEBUG:
        return "django-insecure-soporte-development-only-never-in-production"
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, path)  # atomic: concurrent first runs agree on one key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it or set SOPORTE_SECRET_KEY")
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SOPORTE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "soporte.jobs",
    "soporte.accounts",
    "soporte.tickets",
    "soporte.sla",
    "soporte.notify",
    "soporte.oncall",
    "soporte.escalation",
    "soporte.channels",
    "soporte.feedback",
    "soporte.kb",
    "soporte.reports",
    "soporte.web",
    "soporte.console",
    "soporte.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "soporte.config.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "soporte.config.middleware.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "soporte.config.urls"
WSGI_APPLICATION = "soporte.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The channels app keeps one package per channel: the chat's templates are in its own.
        "DIRS": [PACKAGE_DIR / "channels" / "chat" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --------------------------------------------------------------------------- database

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES: dict[str, dict[str, Any]] = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "soporte.db.sqlite",  # Django's, with writers queued on a lock file
            "NAME": DATA_DIR / "soporte.sqlite3",
            # Keep each thread's connection between requests, as on PostgreSQL: opening one
            # (PRAGMAs, Django's SQL functions, the writers' lock file) costs about a millisecond.
            "CONN_MAX_AGE": 60,
            # Tests: in memory, as Django does for its own SQLite engine (pytest-django only
            # recognises that engine by name).
            "TEST": {"NAME": ":memory:"},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Contacts and agents sign in at /login/ (soporte.accounts); each lands on their own home.
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/portal/"
LOGOUT_REDIRECT_URL = "/login/"
PASSWORD_RESET_TIMEOUT = 3600  # seconds a password reset link stays valid

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --------------------------------------------------------------------------- time and language

USE_TZ = True
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español"), ("en", "English")]
"""Each language named in itself (the language switch), so never translated."""
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "soporte_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --------------------------------------------------------------------------- static files

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "channels" / "chat" / "static"]  # the chat widget's files

# Uploads (screenshots, recordings) are never served from MEDIA_URL: only through views that
# check who may see the ticket.
MEDIA_ROOT = DATA_DIR / "media"
SOPORTE_MAX_UPLOAD_BYTES = int(os.environ.get("SOPORTE_MAX_UPLOAD_MB", "20")) * 2**20
SOPORTE_MAX_FILES_PER_MESSAGE = int(os.environ.get("SOPORTE_MAX_FILES_PER_MESSAGE", "10"))
SOPORTE_MAX_MESSAGE_UPLOAD_BYTES = (
    int(os.environ.get("SOPORTE_MAX_MESSAGE_UPLOAD_MB", "50")) * 2**20
)
SOPORTE_MAX_TICKET_UPLOAD_BYTES = int(os.environ.get("SOPORTE_MAX_TICKET_UPLOAD_MB", "200")) * 2**20
SOPORTE_KB_IMAGE_MAX_BYTES = int(os.environ.get("SOPORTE_KB_IMAGE_MAX_MB", "5")) * 2**20
SOPORTE_EMAIL_MAX_BYTES = int(os.environ.get("SOPORTE_EMAIL_MAX_MB", "40")) * 2**20
SOPORTE_EMAIL_HOOK_SECRET = os.environ.get("SOPORTE_EMAIL_HOOK_SECRET", "").strip()
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20

# --------------------------------------------------------------------------- email

_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "soporte.jobs.mailfile.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_HOST = os.environ.get("SOPORTE_SMTP_HOST", "").strip() or "localhost"
_email_choice = os.environ.get("SOPORTE_EMAIL_BACKEND", "").strip() or (
    "smtp" if os.environ.get("SOPORTE_SMTP_HOST", "").strip() else "console" if DEBUG else "file"
)
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_choice, _email_choice)
try:
    EMAIL_PORT = int(os.environ.get("SOPORTE_SMTP_PORT", "").strip() or "25")
except ValueError:
    raise ImproperlyConfigured(
        f"SOPORTE_SMTP_PORT: expected a port number, got {os.environ['SOPORTE_SMTP_PORT']!r}"
    ) from None
EMAIL_HOST_USER = os.environ.get("SOPORTE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SOPORTE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _flag("SOPORTE_SMTP_TLS")
EMAIL_USE_SSL = _flag("SOPORTE_SMTP_SSL")
EMAIL_TIMEOUT = 20  # seconds; a hung relay must not hold a worker forever
EMAIL_FILE_PATH = DATA_DIR / "mail"

SOPORTE_IMAP_URL = os.environ.get("SOPORTE_IMAP_URL", "").strip()
SOPORTE_IMAP_PROCESSED = os.environ.get("SOPORTE_IMAP_PROCESSED", "").strip() or "Procesados"
SOPORTE_IMAP_REJECTED = os.environ.get("SOPORTE_IMAP_REJECTED", "").strip() or "Rechazados"
try:
    SOPORTE_IMAP_POLL_SECONDS = float(
        os.environ.get("SOPORTE_IMAP_POLL_SECONDS", "").strip() or "30"
    )
except ValueError:
    raise ImproperlyConfigured(
        "SOPORTE_IMAP_POLL_SECONDS: expected a number of seconds, "
        f"got {os.environ['SOPORTE_IMAP_POLL_SECONDS']!r}"
    ) from None
if not 1 <= SOPORTE_IMAP_POLL_SECONDS <= 86400:
    raise ImproperlyConfigured("SOPORTE_IMAP_POLL_SECONDS: expected 1 to 86400 seconds")
DEFAULT_FROM_EMAIL = SERVER_EMAIL = (
    os.environ.get("SOPORTE_EMAIL_FROM", "").strip() or "soporte@localhost"
)

# --------------------------------------------------------------------------- security

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SOPORTE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Behind a TLS-terminating proxy, set SOPORTE_SECURE_COOKIES=1 (or a https SOPORTE_PUBLIC_URL:
# then soporte.config.middleware.SecurityHeadersMiddleware makes every cookie Secure and sends
# HSTS). The Content-Security-Policy of every page is in that middleware too.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("SOPORTE_SECURE_COOKIES")

# --------------------------------------------------------------------------- logging

_renderer: Any = structlog.dev.ConsoleRenderer() if DEBUG else structlog.processors.JSONRenderer()
_pre_chain: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]

structlog.configure(
    processors=[
        *_pre_chain,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structlog": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _renderer,
            ],
            "foreign_pre_chain": _pre_chain,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "structlog"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SOPORTE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}

# --------------------------------------------------------------------------- paging transports
# soporte.notify.transports: PagerDuty's Events API v2 (its base URL is a setting so that tests
# and demos talk to a local fake), PagerDuty's signed webhooks back (comma-separated secrets:
# two while rotating) and the generic signed webhook.

PAGERDUTY_EVENTS_BASE = (
    os.environ.get("SOPORTE_PAGERDUTY_EVENTS_BASE", "").strip().rstrip("/")
    or "https://events.pagerduty.com"
)
PAGERDUTY_TIMEOUT = 10.0  # seconds per request; a timeout is retried with the jobs' backoff
PAGERDUTY_WEBHOOK_SECRETS = [
    s.strip()
    for s in os.environ.get("SOPORTE_PAGERDUTY_WEBHOOK_SECRETS", "").split(",")
    if s.strip()
]
SOPORTE_WEBHOOK_SECRET = os.environ.get("SOPORTE_WEBHOOK_SECRET", "").strip()
SOPORTE_WEBHOOK_TIMEOUT = 10.0  # seconds per request

# --------------------------------------------------------------------------- Slack Connect
# soporte.channels.slack (docs/channels-slack.md): the Slack app's signing secret (unset: POST
# /hooks/slack answers 404), its bot token (xoxb-…) and the Web API's base URL (a setting so that
# tests and demos talk to a local fake).
SOPORTE_SLACK_SIGNING_SECRET = os.environ.get("SOPORTE_SLACK_SIGNING_SECRET", "").strip()
SOPORTE_SLACK_BOT_TOKEN = os.environ.get("SOPORTE_SLACK_BOT_TOKEN", "").strip()
SOPORTE_SLACK_API_URL = (
    os.environ.get("SOPORTE_SLACK_API_URL", "").strip() or "https://slack.com/api/"
)
SOPORTE_SLACK_TIMEOUT = 10  # seconds per Web API call; a timeout is retried with the jobs' backoff

# --------------------------------------------------------------------------- paging
# soporte.escalation. A page goes to PagerDuty (Events API v2) when a routing key is set, and by
# email to each person paged either way. The rotation that takes pages is marked in the data
# (``Rotation.takes_pages``, chosen on the console's On call page). Links in pages (acknowledge)
# start with the public base URL.

PAGERDUTY_ROUTING_KEY = os.environ.get("SOPORTE_PAGERDUTY_ROUTING_KEY", "").strip()
# The longest an on-call override may last (days): a longer one is refused, naming the field.
ONCALL_MAX_OVERRIDE_DAYS = int(os.environ.get("SOPORTE_ONCALL_MAX_OVERRIDE_DAYS", "90"))
# Attempts per transport before a page falls back to the next one (backoff 2 s, 4 s, 8 s...).
PAGE_DELIVERY_ATTEMPTS = int(os.environ.get("SOPORTE_PAGE_DELIVERY_ATTEMPTS", "3"))
# The desk's public address (soporte.public): links in emails, printed addresses.
# Unset, `soporte serve` makes it the address it binds; this default is what it binds by default.
PUBLIC_BASE_URL = (
    os.environ.get("SOPORTE_PUBLIC_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"
)

# --------------------------------------------------------------------------- live chat
# soporte.channels.chat. The host page (the TrackMyVend app) signs its user's email and
# organisation ID with SOPORTE_CHAT_SECRET (identity verification); the chat's JSON endpoints
# answer CORS for the origins in SOPORTE_CHAT_ORIGINS (comma-separated, e.g.
# https://app.trackmyvend.com) and for the desk's own. SOPORTE_DEMO (set by `soporte serve
# --demo`) serves the demo host page /chat/demo/.

SOPORTE_CHAT_SECRET = os.environ.get("SOPORTE_CHAT_SECRET", "").strip()
SOPORTE_CHAT_ORIGINS = [
    o.strip().rstrip("/")
    for o in os.environ.get("SOPORTE_CHAT_ORIGINS", "").split(",")
    if o.strip()
]
SOPORTE_DEMO = _flag("SOPORTE_DEMO")

# --------------------------------------------------------------------------- Twilio
# soporte.channels.voice (the emergency line's webhooks, docs/channels-voice.md) and
# soporte.notify.transports.twilio (SMS and voice-call pages). The auth token signs Twilio's
# webhooks (unset: /hooks/voice* answer 404) and, with the account SID, authenticates the REST
# API calls; SOPORTE_TWILIO_ALT_AUTH_TOKEN is the other token while rotating. SOPORTE_TWILIO_FROM
# is the number pages come from; the API base URL is a setting so tests talk to a local fake.

SOPORTE_TWILIO_ACCOUNT_SID = os.environ.get("SOPORTE_TWILIO_ACCOUNT_SID", "").strip()
SOPORTE_TWILIO_AUTH_TOKEN = os.environ.get("SOPORTE_TWILIO_AUTH_TOKEN", "").strip()
SOPORTE_TWILIO_ALT_AUTH_TOKEN = os.environ.get("SOPORTE_TWILIO_ALT_AUTH_TOKEN", "").strip()
SOPORTE_TWILIO_FROM = os.environ.get("SOPORTE_TWILIO_FROM", "").strip()
SOPORTE_TWILIO_API_BASE = (
    os.environ.get("SOPORTE_TWILIO_API_BASE", "").strip().rstrip("/") or "https://api.twilio.com"
)
SOPORTE_TWILIO_TIMEOUT = 10.0  # seconds per REST request; a timeout is retried
# --------------------------------------------------------------------------- WhatsApp
# soporte.channels.whatsapp (docs/channels-whatsapp.md): the Cloud API. The hooks answer 404
# until SOPORTE_WHATSAPP_APP_SECRET (POST, X-Hub-Signature-256) and
# SOPORTE_WHATSAPP_VERIFY_TOKEN (GET, the subscription challenge) are set. Replies go out with
# SOPORTE_WHATSAPP_TOKEN from SOPORTE_WHATSAPP_PHONE_NUMBER_ID; outside the 24-hour window,
# as one of the approved templates SOPORTE_WHATSAPP_TEMPLATES (comma-separated, the first is
# the default); pages as the template SOPORTE_WHATSAPP_PAGE_TEMPLATE.

SOPORTE_WHATSAPP_GRAPH_URL = (
    os.environ.get("SOPORTE_WHATSAPP_GRAPH_URL", "").strip().rstrip("/")
    or "https://graph.facebook.com/v21.0"
)
SOPORTE_WHATSAPP_TOKEN = os.environ.get("SOPORTE_WHATSAPP_TOKEN", "").strip()
SOPORTE_WHATSAPP_APP_SECRET = os.environ.get("SOPORTE_WHATSAPP_APP_SECRET", "").strip()
SOPORTE_WHATSAPP_VERIFY_TOKEN = os.environ.get("SOPORTE_WHATSAPP_VERIFY_TOKEN", "").strip()
SOPORTE_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("SOPORTE_WHATSAPP_PHONE_NUMBER_ID", "").strip()
SOPORTE_WHATSAPP_TEMPLATES = [
    t.strip() for t in os.environ.get("SOPORTE_WHATSAPP_TEMPLATES", "").split(",") if t.strip()
]
SOPORTE_WHATSAPP_PAGE_TEMPLATE = (
    os.environ.get("SOPORTE_WHATSAPP_PAGE_TEMPLATE", "").strip() or "soporte_page"
)
SOPORTE_WHATSAPP_TIMEOUT = 10.0  # seconds per Graph API request; a timeout is retried
