"""Slack request signing v0 (protocols.md §2.1), checked by ``slack_sdk``'s verifier.

``v0=hex(HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + raw body))`` in
``X-Slack-Signature``, the timestamp in ``X-Slack-Request-Timestamp`` within five minutes of
``now`` (either way). The comparison is constant-time; any malformed input is simply invalid.
"""

from __future__ import annotations

from slack_sdk.signature import Clock, SignatureVerifier

MAX_SKEW_S = 300
"""Slack's replay window (``slack_sdk`` uses exactly ``60 * 5``)."""


class _At(Clock):
    """A clock stopped at one instant: the verifier never reads the real one."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def verify(
    *, secret: str, raw_body: bytes, timestamp: str | None, signature: str | None, now: float
) -> bool:
    """Whether ``signature`` signs ``raw_body`` at ``timestamp`` with ``secret``, at ``now``
    (Unix seconds). A missing, non-numeric, stale or non-ASCII value is invalid."""
    if not secret.strip() or not timestamp or not signature or not timestamp.isdigit():
        return False
    if not signature.isascii():
        return False  # hmac.compare_digest refuses non-ASCII text
    try:
        return SignatureVerifier(secret, clock=_At(now)).is_valid(
            body=raw_body, timestamp=timestamp, signature=signature
        )
    except (UnicodeDecodeError, ValueError):  # a body that is not UTF-8 is not Slack's
        return False


def sign(*, secret: str, raw_body: bytes, timestamp: str) -> str:
    """The ``X-Slack-Signature`` Slack would send (for the demo and the tests' fake sender)."""
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=raw_body)
    assert signature is not None
    return signature
