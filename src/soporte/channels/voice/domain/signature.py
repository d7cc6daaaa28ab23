"""``X-Twilio-Signature`` (protocols.md §4.2): HMAC-SHA1 over the URL Twilio called followed by
every POSTed parameter, sorted by name, as ``name + value`` (the ``twilio`` library's
``RequestValidator``, which also tries the URL with and without its default port).

The URL is the one configured at Twilio, rebuilt from the desk's public address, never from
the request's Host header (a proxy may change it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from twilio.request_validator import RequestValidator

MAX_SIGNATURE = 200
"""Longer than any base64 HMAC: not Twilio's."""


def signature(token: str, url: str, params: Mapping[str, str]) -> str:
    """The signature Twilio sends for ``params`` POSTed to ``url`` (what a fake signs with)."""
    return str(RequestValidator(token).compute_signature(url, params))


def verify(tokens: Sequence[str], url: str, params: Mapping[str, str], header: str) -> bool:
    """Whether ``header`` signs ``params`` POSTed to ``url`` with any of ``tokens`` (the current
    auth token, then the other one while rotating). Every token is tried, with no early exit."""
    if not header or len(header) > MAX_SIGNATURE:
        return False
    matched = False
    for token in tokens:
        if token:
            matched |= RequestValidator(token).validate(url, params, header)
    return matched
