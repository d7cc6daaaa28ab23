"""A local fake of PagerDuty's Events API v2, also a generic webhook receiver, for tests.

A threaded ``http.server`` on 127.0.0.1 (an ephemeral port). ``POST /v2/enqueue`` bodies are
checked against the documented format (``../shared/reference/protocols.md`` §1.2, written
here independently of soporte's own validator, so that a mistake in one shows up in the other);
an event that breaks it gets the documented 400 and its problems are kept in ``problems``.
Accepted events are kept by dedup key in ``events``. Every request (any path) is recorded in
``requests``, with the answer it got.

Answers are scripted with ``answer(...)``, one per request, then 202: ``"202"``, ``"400"``,
``"429"``, ``"500"`` or any other status code; ``"slow"`` (hold the answer until the client
has given up: released by ``close()``, or after ``SLOW_HOLD`` seconds); ``"drop"`` (close the
connection without answering).
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from fake_server import LocalServer

ENQUEUE = "/v2/enqueue"
SLOW_HOLD = 30.0
SUCCESS = {"status": "success", "message": "Event processed"}
INVALID = {"status": "invalid event", "message": "Event object is invalid"}
TOP_LEVEL = {
    "routing_key",
    "event_action",
    "dedup_key",
    "payload",
    "images",
    "links",
    "client",
    "client_url",
}


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    answer: str

    def json(self) -> Any:
        return json.loads(self.body)


def event_problems(raw: bytes, content_type: str) -> list[str]:
    """What is wrong with ``raw`` as an Events API v2 request, per the documented format."""
    if not content_type.startswith("application/json"):
        return [f"Content-Type: {content_type!r}, not application/json"]
    if len(raw) > 512 * 1024:
        return [f"body: {len(raw)} bytes, over 512 KB"]
    try:
        event = json.loads(raw)
    except ValueError:
        return ["body: not JSON"]
    if not isinstance(event, dict):
        return ["body: not an object"]
    problems = [f"{name}: unknown field" for name in sorted(set(event) - TOP_LEVEL)]
    key = event.get("routing_key")
    if not (isinstance(key, str) and (len(key) == 32 or key.startswith("R"))):
        problems.append("routing_key: not 32 characters nor a ruleset key")
    action = event.get("event_action")
    if action not in ("trigger", "acknowledge", "resolve"):
        problems.append(f"event_action: {action!r}")
    dedup = event.get("dedup_key")
    if dedup is not None and not (isinstance(dedup, str) and 0 < len(dedup) <= 255):
        problems.append("dedup_key: not 1-255 characters of text")
    if action in ("acknowledge", "resolve") and dedup is None:
        problems.append(f"dedup_key: required to {action}")
    if action == "trigger":
        problems += _payload_problems(event.get("payload"))
    for index, link in enumerate(event.get("links") or []):
        if not (isinstance(link, dict) and isinstance(link.get("href"), str)):
            problems.append(f"links[{index}]: no href")
    for name in ("client", "client_url"):
        if name in event and not isinstance(event[name], str):
            problems.append(f"{name}: not text")
    return problems


def _payload_problems(payload: Any) -> list[str]:
    if not isinstance(payload, dict):
        return ["payload: missing on a trigger"]
    problems = []
    summary = payload.get("summary")
    if not (isinstance(summary, str) and 0 < len(summary) <= 1024):
        problems.append("payload.summary: not 1-1024 characters of text")
    if not (isinstance(payload.get("source"), str) and payload["source"]):
        problems.append("payload.source: missing")
    if payload.get("severity") not in ("critical", "error", "warning", "info"):
        problems.append(f"payload.severity: {payload.get('severity')!r}")
    if "timestamp" in payload:
        try:
            datetime.fromisoformat(payload["timestamp"])
        except (TypeError, ValueError):
            problems.append(f"payload.timestamp: not ISO 8601: {payload['timestamp']!r}")
    if "custom_details" in payload and not isinstance(payload["custom_details"], dict):
        problems.append("payload.custom_details: not an object")
    return problems


class FakePagerDuty(LocalServer):
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.problems: list[str] = []
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._serve(_Handler)

    def answer(self, *answers: str) -> None:
        """Script the answers to the next requests (then 202 again)."""
        with self._lock:
            self._script.extend(answers)

    def posted(self, path: str = ENQUEUE) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self._released.set()
        super().close()

    def _next_answer(self) -> str:
        with self._lock:
            return self._script.popleft() if self._script else "202"

    def _handle(self, request: _Handler, body: bytes) -> None:
        answer = self._next_answer()
        problems: list[str] = []
        if request.path == ENQUEUE and answer == "202":
            problems = event_problems(body, request.headers.get("Content-Type", ""))
            if problems:
                answer = "400"
        received = Received(
            request.command, request.path, dict(request.headers.items()), body, answer
        )
        with self._lock:
            self.requests.append(received)
            self.problems += problems
        if answer == "drop":
            request.close_connection = True
            return
        if answer == "slow":
            self._released.wait(SLOW_HOLD)
            request.close_connection = True
            return
        status = int(answer)
        document: dict[str, Any] = {}
        if request.path == ENQUEUE:
            document = dict(SUCCESS) if status == 202 else dict(INVALID)
            if status == 202:
                event = json.loads(body)
                document["dedup_key"] = event.get("dedup_key")
                with self._lock:
                    self.events[event.get("dedup_key")].append(event)
            elif problems:
                document["errors"] = problems
        _send(request, status, document)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.fake._handle(self, body)  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


def _send(request: BaseHTTPRequestHandler, status: int, document: dict[str, Any]) -> None:
    payload = json.dumps(document).encode()
    try:
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)
    except OSError:  # the client gave up meanwhile
        request.close_connection = True
