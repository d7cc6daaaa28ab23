"""PagerDuty: pages out through the Events API v2, acknowledgements back through webhooks v3.

Out (``../shared/reference/protocols.md`` §1.1-1.5): :func:`pagerduty_event` builds an event
and checks it, once, :func:`enqueue_pagerduty` queues it in the outbox, and the transport
``pagerduty`` POSTs it as it is to ``{PAGERDUTY_EVENTS_BASE}/v2/enqueue``. 202 is delivered;
400 (any 4xx but 408 and 429) is permanent, never retried; 429, 5xx, timeouts and network
errors are retried with the jobs' backoff. The event's ``dedup_key`` is the idempotency key on
PagerDuty's side: a re-send after a crash lands on the same alert, and acknowledge/resolve
reach the trigger's alert only with its ``dedup_key`` *and* ``routing_key``
(:func:`pagerduty_follow_up` copies both). So this module requires a ``dedup_key`` on every
event, although PagerDuty would make one up.

Back (§1.6): :func:`verify_pagerduty_signature` checks ``X-PagerDuty-Signature`` against every
current secret; :func:`parse_webhook` reads the event tolerantly (parts of the format are
unverified); :func:`accept_webhook` queues the job ``notify.pagerduty_webhook`` keyed by
PagerDuty's event id, which is the deduplication: the job sends
:data:`soporte.notify.signals.pagerduty_incident` once per event, in its own transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal, NewType

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from soporte.jobs import services as jobs
from soporte.jobs.models import Job, OutboxMessage
from soporte.jobs.outbox import enqueue, transport
from soporte.jobs.registry import handler
from soporte.notify.signals import pagerduty_incident
from soporte.notify.transports import http

log = structlog.get_logger(__name__)

Action = Literal["trigger", "acknowledge", "resolve"]
ACTIONS: tuple[str, ...] = ("trigger", "acknowledge", "resolve")
SEVERITIES: tuple[str, ...] = ("critical", "error", "warning", "info")
ROUTING_KEY_LENGTH = 32
MAX_SUMMARY = 1024
MAX_DEDUP_KEY = 255
MAX_BODY = 512 * 1024
ENQUEUE_PATH = "/v2/enqueue"
_TRIGGER_ONLY = ("payload", "links", "images", "client", "client_url")
_OPTIONAL_TEXT = ("component", "group", "class")

PagerDutyEvent = NewType("PagerDutyEvent", dict[str, Any])
"""An Events API v2 body :func:`pagerduty_event` built and checked."""

# --------------------------------------------------------------------------- events out


def pagerduty_event(
    *,
    routing_key: str,
    event_action: Action,
    dedup_key: str,
    summary: str | None = None,
    source: str | None = None,
    severity: str | None = None,
    timestamp: datetime | None = None,
    component: str | None = None,
    group: str | None = None,
    class_: str | None = None,
    custom_details: Mapping[str, Any] | None = None,
    links: Sequence[Mapping[str, str]] = (),
    client: str | None = None,
    client_url: str | None = None,
) -> PagerDutyEvent:
    """One Events API v2 body, checked (:func:`validate_event`); ``ValueError`` names the field.

    A trigger needs ``summary``, ``source`` and ``severity``; acknowledge and resolve carry only
    the routing and dedup keys (prefer :func:`pagerduty_follow_up`).
    """
    if event_action not in ACTIONS:
        raise ValueError(
            f"event_action: expected one of {', '.join(ACTIONS)}, got {event_action!r}"
        )
    body: dict[str, Any] = {
        "routing_key": routing_key,
        "event_action": event_action,
        "dedup_key": dedup_key,
    }
    extras = {
        "summary": summary,
        "source": source,
        "severity": severity,
        "timestamp": timestamp,
        "component": component,
        "group": group,
        "class_": class_,
        "custom_details": custom_details,
        "links": links or None,
        "client": client,
        "client_url": client_url,
    }
    if event_action != "trigger":
        given = [name for name, value in extras.items() if value is not None]
        if given:
            raise ValueError(f"{given[0]}: only a trigger carries it, not {event_action!r}")
        validate_event(body)
        return PagerDutyEvent(body)
    if timestamp is not None and (
        not isinstance(timestamp, datetime) or timezone.is_naive(timestamp)
    ):
        raise ValueError(f"timestamp: expected an aware datetime, got {timestamp!r}")
    payload: dict[str, Any] = {"summary": summary, "source": source, "severity": severity}
    if timestamp is not None:
        payload["timestamp"] = timestamp.astimezone(UTC).isoformat().replace("+00:00", "Z")
    for name, value in (("component", component), ("group", group), ("class", class_)):
        if value is not None:
            payload[name] = value
    if custom_details is not None:
        payload["custom_details"] = _copy(custom_details)
    body["payload"] = payload
    if links:
        body["links"] = [_copy(link) for link in links]
    if client is not None:
        body["client"] = client
    if client_url is not None:
        body["client_url"] = client_url
    validate_event(body)
    return PagerDutyEvent(body)


def _copy(value: Any) -> Any:
    """A mapping as a plain dict; anything else as it is, for the validator to name."""
    return dict(value) if isinstance(value, Mapping) else value


def pagerduty_follow_up(trigger: Mapping[str, Any], action: Action) -> PagerDutyEvent:
    """The acknowledge or resolve event of ``trigger``: the same routing and dedup keys."""
    if action == "trigger":
        raise ValueError("event_action: a follow-up is 'acknowledge' or 'resolve'")
    return pagerduty_event(
        routing_key=trigger.get("routing_key", ""),
        event_action=action,
        dedup_key=trigger.get("dedup_key", ""),
    )


def validate_event(body: Mapping[str, Any]) -> None:
    """Check ``body`` against the documented format.

    Raises ``ValueError`` (``"field: what is wrong"``) at the first problem. The routing key is
    a credential: errors give its length, never its value.
    """
    if not isinstance(body, Mapping):
        raise ValueError("event: expected a JSON object")
    routing_key = body.get("routing_key")
    if not isinstance(routing_key, str) or not (
        len(routing_key) == ROUTING_KEY_LENGTH or routing_key.startswith("R")
    ):
        got = f"{len(routing_key)} characters" if isinstance(routing_key, str) else "none"
        raise ValueError(
            "routing_key: expected a 32-character integration key or a ruleset key starting "
            f"with R, got {got}"
        )
    action = body.get("event_action")
    if action not in ACTIONS:
        raise ValueError(f"event_action: expected one of {', '.join(ACTIONS)}, got {action!r}")
    dedup_key = body.get("dedup_key")
    if not isinstance(dedup_key, str) or not dedup_key:
        raise ValueError("dedup_key: required (it is the idempotency key of every event)")
    if len(dedup_key) > MAX_DEDUP_KEY:
        raise ValueError(f"dedup_key: at most {MAX_DEDUP_KEY} characters, got {len(dedup_key)}")
    if action == "trigger":
        _validate_trigger(body)
    else:
        extra = [name for name in _TRIGGER_ONLY if name in body]
        if extra:
            raise ValueError(f"{extra[0]}: only a trigger carries it, not {action!r}")
    try:
        content = _encoded(body)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"event: not serialisable as JSON ({exc})") from None
    if len(content) > MAX_BODY:
        raise ValueError(f"event: at most {MAX_BODY} bytes (512 KB), got {len(content)}")


def _encoded(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _validate_trigger(body: Mapping[str, Any]) -> None:
    payload = body.get("payload")
    if not isinstance(payload, Mapping):
        raise ValueError("payload: required for a trigger (an object)")
    summary = payload.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise ValueError("payload.summary: required for a trigger")
    if len(summary) > MAX_SUMMARY:
        raise ValueError(f"payload.summary: at most {MAX_SUMMARY} characters, got {len(summary)}")
    source = payload.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError("payload.source: required for a trigger")
    severity = payload.get("severity")
    if severity not in SEVERITIES:
        raise ValueError(
            f"payload.severity: expected one of {', '.join(SEVERITIES)}, got {severity!r}"
        )
    stamp = payload.get("timestamp")
    if stamp is not None:
        if not isinstance(stamp, str):
            raise ValueError(f"payload.timestamp: expected ISO 8601 text, got {stamp!r}")
        try:
            datetime.fromisoformat(stamp)
        except ValueError:
            raise ValueError(f"payload.timestamp: not ISO 8601: {stamp!r}") from None
    for name in _OPTIONAL_TEXT:
        if name in payload and not isinstance(payload[name], str):
            raise ValueError(f"payload.{name}: expected text, got {payload[name]!r}")
    details = payload.get("custom_details")
    if details is not None and not isinstance(details, Mapping):
        raise ValueError("payload.custom_details: expected an object")
    links = body.get("links", [])
    if not isinstance(links, list):
        raise ValueError("links: expected a list of {href, text}")
    for index, link in enumerate(links):
        if not isinstance(link, Mapping) or not isinstance(link.get("href"), str):
            raise ValueError(f"links[{index}].href: required (a URL)")
        if "text" in link and not isinstance(link["text"], str):
            raise ValueError(f"links[{index}].text: expected text")
    for name in ("client", "client_url"):
        if name in body and not isinstance(body[name], str):
            raise ValueError(f"{name}: expected text, got {body[name]!r}")


def enqueue_pagerduty(
    *,
    key: str,
    event: PagerDutyEvent,
    due_at: datetime,
    max_attempts: int | None = None,
    urgent: bool = False,
) -> OutboxMessage:
    """Queue ``event`` for the transport; see ``outbox.enqueue``.

    ``key`` is the outbox key (one per event to send, e.g. ``page:17:trigger``); PagerDuty's
    own idempotency is the event's ``dedup_key``.
    """
    return enqueue(
        transport="pagerduty",
        key=key,
        payload=event,
        due_at=due_at,
        max_attempts=max_attempts,
        urgent=urgent,
    )


@transport("pagerduty")
def send_pagerduty(message: OutboxMessage) -> None:
    """POST the message's event (checked where it was built) to the Events API; see the module
    docstring for the outcomes."""
    body = message.payload
    url = f"{settings.PAGERDUTY_EVENTS_BASE}{ENQUEUE_PATH}"
    response = http.post_json(
        url, content=_encoded(body), headers={}, timeout=float(settings.PAGERDUTY_TIMEOUT)
    )
    http.raise_for_status(response, what="PagerDuty Events API")
    dedup_key = body["dedup_key"]
    try:
        answer = response.json()
    except ValueError:
        answer = None
    returned = answer.get("dedup_key") if isinstance(answer, dict) else None
    if returned is not None and returned != dedup_key:
        log.warning("pagerduty.dedup_key_changed", sent=dedup_key, returned=returned)
    log.info(
        "pagerduty.accepted",
        action=body["event_action"],
        dedup_key=dedup_key,
        key=message.idempotency_key,
        status=response.status_code,
    )


# --------------------------------------------------------------------------- webhooks back

WEBHOOK_KIND = "notify.pagerduty_webhook"
SYNCED_EVENTS = frozenset({"incident.acknowledged", "incident.resolved"})
MAX_SIGNATURES = 8  # a header with more v1 values than this is not PagerDuty's


def pagerduty_signature(secret: bytes, raw_body: bytes) -> str:
    """``X-PagerDuty-Signature`` for one secret: ``v1=<hex HMAC-SHA256(secret, raw body)>``."""
    return "v1=" + hmac.new(secret, raw_body, hashlib.sha256).hexdigest()


def verify_pagerduty_signature(secrets: Sequence[bytes], raw_body: bytes, header: str) -> bool:
    """Whether any ``v1=`` value of ``header`` signs ``raw_body`` with any of ``secrets``.

    Several values come while PagerDuty rotates a secret, several secrets while soporte does.
    Every pair is compared in constant time, with no early exit.
    """
    values = [v.strip() for v in (header or "").split(",")]
    given = [v.encode("utf-8", "replace") for v in values if v.startswith("v1=")]
    if not given or len(given) > MAX_SIGNATURES:
        return False
    expected = [pagerduty_signature(secret, raw_body).encode() for secret in secrets if secret]
    matched = False
    for mine in expected:
        for theirs in given:
            matched |= hmac.compare_digest(mine, theirs)
    return matched


class IgnoredWebhook(Exception):
    """A verified delivery soporte does not act on (answered 2xx all the same, and logged)."""


class BadWebhook(ValueError):
    """A verified delivery soporte cannot read at all (answered 400 with the message)."""


@dataclass(frozen=True)
class IncidentEvent:
    """What soporte reads from a webhook v3 ``incident.acknowledged``/``.resolved`` event."""

    event_id: str
    event_type: str
    occurred_at: datetime | None
    dedup_key: str | None
    agent_email: str | None
    agent_name: str | None
    incident_id: str | None


def parse_webhook(raw_body: bytes) -> IncidentEvent:
    """Read a verified delivery; :class:`IgnoredWebhook` (with the reason) if it is not for us.

    Tolerant: only ``event.id`` and ``event.event_type`` are required; the incident's key is
    ``data.incident_key`` (or ``data.incident.incident_key`` for events about an incident),
    the agent's email is read where a full user object carries one.
    """
    try:
        document = json.loads(raw_body)
    except ValueError:
        raise IgnoredWebhook("the body is not JSON") from None
    except RecursionError:
        raise BadWebhook("the body is JSON nested too deeply to read") from None
    event = document.get("event") if isinstance(document, dict) else None
    if not isinstance(event, dict):
        raise IgnoredWebhook("no event object")
    event_id, event_type = event.get("id"), event.get("event_type")
    if not isinstance(event_id, str) or not event_id:
        raise IgnoredWebhook("the event has no id")
    if event_type not in SYNCED_EVENTS:
        raise IgnoredWebhook(f"event type {event_type!r} is not synced")
    data = _object(event.get("data"))
    incident = _object(data.get("incident"))
    agent = _object(event.get("agent"))
    parsed = IncidentEvent(
        event_id=event_id,
        event_type=event_type,
        occurred_at=_instant(event.get("occurred_at")),
        dedup_key=_text(data.get("incident_key")) or _text(incident.get("incident_key")),
        agent_email=_text(agent.get("email")),
        agent_name=_text(agent.get("summary")) or _text(agent.get("name")),
        incident_id=_text(data.get("id") if data.get("type") == "incident" else None)
        or _text(incident.get("id")),
    )
    missing = [
        name for name in ("occurred_at", "dedup_key", "agent_email") if not getattr(parsed, name)
    ]
    if missing:
        log.info("pagerduty.webhook_partial", event_id=event_id, type=event_type, missing=missing)
    return parsed


def accept_webhook(event: IncidentEvent, *, received_at: datetime) -> bool:
    """Queue the handling of ``event``, received at ``received_at``, once per event id;
    ``False`` if it was already queued."""
    key = webhook_job_key(event.event_id)
    payload = asdict(event)
    payload["occurred_at"] = event.occurred_at.isoformat() if event.occurred_at else None
    payload["received_at"] = received_at.isoformat()
    with transaction.atomic():
        if Job.objects.filter(key=key).exists():
            return False
        jobs.schedule(kind=WEBHOOK_KIND, key=key, due_at=received_at, payload=payload)
    return True


def webhook_job_key(event_id: str) -> str:
    if len(event_id) <= 200:
        return f"pagerduty:webhook:{event_id}"
    return f"pagerduty:webhook:sha256:{hashlib.sha256(event_id.encode()).hexdigest()}"


@handler(WEBHOOK_KIND)
def incident_changed(job: Job, *, now: datetime) -> None:
    """Tell the receivers of ``pagerduty_incident``; their writes commit with this job."""
    p = job.payload
    pagerduty_incident.send(
        sender=IncidentEvent,
        event_type=p["event_type"],
        dedup_key=p.get("dedup_key"),
        agent_email=p.get("agent_email"),
        occurred_at=_instant(p.get("occurred_at")),
        received_at=_instant(p.get("received_at")) or now,
        event_id=p["event_id"],
        agent_name=p.get("agent_name"),
        incident_id=p.get("incident_id"),
        now=now,
    )


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        log.info("pagerduty.webhook_bad_time", value=value[:60])
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None
