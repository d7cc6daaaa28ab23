"""HTTP for the transports: one pooled client, and failures sorted into retry or not.

Network failures (timeouts, refused or dropped connections) and answers 408, 429, 5xx (or any
other non-2xx outside 4xx) raise :class:`DeliveryError`, which the jobs retry with backoff;
other 4xx raise :class:`PermanentDeliveryError`: the receiver refuses the request itself, and
sending it again cannot change its mind.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from urllib.parse import urlencode

import httpx

from soporte.jobs.outbox import DeliveryError, PermanentDeliveryError

RETRIED_4XX = frozenset({408, 429})
EXCERPT = 300

_client: httpx.Client | None = None
_lock = threading.Lock()


def client() -> httpx.Client:
    """The process's pooled client (thread-safe; created on first use, after any fork)."""
    global _client
    with _lock:
        if _client is None:
            _client = httpx.Client(follow_redirects=False, headers={"User-Agent": "soporte"})
        return _client


def post_json(
    url: str, *, content: bytes, headers: Mapping[str, str], timeout: float
) -> httpx.Response:
    """POST the JSON bytes ``content``; network failures raise :class:`DeliveryError`."""
    return _post(url, content, {"Content-Type": "application/json", **headers}, timeout)


def post_form(
    url: str, *, fields: Mapping[str, str], headers: Mapping[str, str], timeout: float
) -> httpx.Response:
    """POST ``fields`` as an HTML form (``application/x-www-form-urlencoded``); network
    failures raise :class:`DeliveryError`."""
    content = urlencode(fields).encode()
    kind = {"Content-Type": "application/x-www-form-urlencoded"}
    return _post(url, content, {**kind, **headers}, timeout)


def _post(url: str, content: bytes, headers: Mapping[str, str], timeout: float) -> httpx.Response:
    try:
        return client().post(url, content=content, headers=headers, timeout=timeout)
    except httpx.TimeoutException as exc:
        raise DeliveryError(
            f"{url}: no answer within {timeout:g} s ({type(exc).__name__})"
        ) from exc
    except httpx.HTTPError as exc:  # refused, reset, dropped without an answer, bad protocol
        raise DeliveryError(f"{url}: {type(exc).__name__}: {exc}") from exc


def raise_for_status(response: httpx.Response, *, what: str) -> None:
    """Return on 2xx; raise the retried or the permanent delivery error otherwise."""
    status = response.status_code
    if 200 <= status < 300:
        return
    detail = f"{what} answered {status}: {excerpt(response)}"
    retry_after = response.headers.get("Retry-After")
    if retry_after:
        detail += f" (Retry-After: {retry_after[:40]})"
    if 400 <= status < 500 and status not in RETRIED_4XX:
        raise PermanentDeliveryError(detail)
    raise DeliveryError(detail)


def excerpt(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:EXCERPT] + ("…" if len(text) > EXCERPT else "") if text else "(empty body)"
