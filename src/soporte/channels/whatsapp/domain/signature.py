"""Meta's webhook security (``../shared/reference/protocols.md`` §3.1-3.2).

A delivery is signed in ``X-Hub-Signature-256: sha256=<hex>``: HMAC-SHA256 of the raw body,
keyed with the app secret. Meta's signature carries no timestamp, so there is no staleness to
check: a replayed delivery is a duplicate, and the message id makes it harmless.
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="
SUBSCRIBE = "subscribe"


def signature(app_secret: bytes, raw_body: bytes) -> str:
    """The header value Meta sends for ``raw_body`` (fakes and tests sign with it)."""
    return PREFIX + hmac.new(app_secret, raw_body, hashlib.sha256).hexdigest()


def verified(app_secret: bytes, raw_body: bytes, header: str | None) -> bool:
    """Whether ``header`` signs ``raw_body`` with ``app_secret``, compared in constant time
    (bytes: ``compare_digest`` refuses a non-ASCII ``str``)."""
    if not app_secret or not header:
        return False
    expected = signature(app_secret, raw_body).encode()
    return hmac.compare_digest(expected, header.strip().encode("utf-8", "replace"))


def challenge(
    *, mode: str | None, token: str | None, value: str | None, verify_token: str
) -> str | None:
    """The answer to Meta's subscription check (``hub.mode``, ``hub.verify_token``,
    ``hub.challenge``): the challenge itself, or ``None`` when it is not ours to answer."""
    if mode != SUBSCRIBE or not verify_token or token is None or value is None:
        return None
    if not hmac.compare_digest(token.encode("utf-8", "replace"), verify_token.encode()):
        return None
    return value
