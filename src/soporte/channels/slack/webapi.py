"""Slack's Web API through ``slack_sdk``'s ``WebClient``, pointed at ``SOPORTE_SLACK_API_URL``
(tests: a local fake) with the bot token ``SOPORTE_SLACK_BOT_TOKEN``.

:func:`call` sorts failures as the outbox wants them (protocols.md §2.5): Slack answers errors
with HTTP 200 and ``{"ok": false, "error": …}``; ``ratelimited`` (or HTTP 429, with
``Retry-After``), Slack's own failures, 5xx and network errors raise :class:`DeliveryError`
(retried with the jobs' backoff); any other error (``channel_not_found``, ``not_in_channel``,
``invalid_auth``…) raises :class:`PermanentDeliveryError`. The client retries nothing itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from soporte.jobs.outbox import DeliveryError, PermanentDeliveryError

RETRIED_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


class NotConfigured(PermanentDeliveryError):
    """No bot token: the desk cannot call Slack."""


def configured() -> bool:
    return bool(str(settings.SOPORTE_SLACK_BOT_TOKEN).strip())


def client() -> WebClient:
    if not configured():
        raise NotConfigured("SOPORTE_SLACK_BOT_TOKEN is not set: the desk cannot call Slack")
    return WebClient(
        token=str(settings.SOPORTE_SLACK_BOT_TOKEN),
        base_url=str(settings.SOPORTE_SLACK_API_URL),
        timeout=int(settings.SOPORTE_SLACK_TIMEOUT),
        retry_handlers=[],
    )


def call(method: str, *, query: bool = False, **arguments: Any) -> dict[str, Any]:
    """Call Web API ``method`` (``chat.postMessage``) with a JSON body, or with ``query``
    string arguments for the methods that take no JSON (``users.info``); the answer's data."""
    sent: dict[str, Any] = (
        {"http_verb": "GET", "params": arguments} if query else {"json": arguments}
    )
    try:
        response = client().api_call(method, **sent)
    except SlackApiError as exc:
        raise _failure(method, exc) from exc
    except (SlackClientError, OSError, ValueError) as exc:  # refused, timed out, unreadable
        raise DeliveryError(f"Slack {method}: {type(exc).__name__}: {exc}") from exc
    data = response.data
    return data if isinstance(data, dict) else {}


def _failure(method: str, exc: SlackApiError) -> DeliveryError:
    response = exc.response
    status = response.status_code
    data = response.data if isinstance(response.data, dict) else {}
    error = str(data.get("error") or f"HTTP {status}")
    detail = f"Slack {method} answered {status}: {error}"
    retry_after = (response.headers or {}).get("Retry-After") or (response.headers or {}).get(
        "retry-after"
    )
    if retry_after:
        detail += f" (Retry-After: {str(retry_after)[:40]})"
    if status == 429 or status >= 500 or error in RETRIED_ERRORS:
        return DeliveryError(detail)
    return PermanentDeliveryError(detail)
