"""A local fake of Slack's Web API (and of its file host), for tests.

A threaded ``http.server`` on 127.0.0.1 (an ephemeral port) speaking the documented format
(``../shared/reference/protocols.md`` §2.5, Slack's method pages), written independently of
soporte's client so that a mistake in one shows up in the other:

- ``POST /api/chat.postMessage``: a JSON (or form) body with ``channel`` and one of ``text`` /
  ``blocks`` / ``attachments``; ``thread_ts`` a ts when given; the bearer token checked. Errors
  come as Slack sends them: HTTP 200 with ``{"ok": false, "error": …}`` (``not_authed``,
  ``invalid_auth``, ``invalid_json``, ``no_text``, ``channel_not_found``, ``invalid_arguments``).
  Accepted posts are kept in ``posts``, with a new ``ts``.
- ``POST /api/chat.update``: ``channel``, the ``ts`` of a message posted here (else
  ``message_not_found``) and ``text`` / ``blocks``; kept in ``updates``.
- ``blocks`` (both methods) are checked against Block Kit's documented limits: at most 50
  blocks; ``section`` text 1-3000 characters; ``context`` 1-10 elements; ``actions`` 1-25
  elements, each ``button`` with a unique ``action_id`` (≤ 255), ``plain_text`` text of 1-75
  characters, ``value`` ≤ 2000 and ``style`` ``primary``/``danger`` if any (else
  ``invalid_blocks``, the problems kept in ``problems``).
- ``/api/users.info?user=U…`` (GET or POST, the arguments in the query or a form body): the
  profile of a user in ``users`` (else ``user_not_found``).
- ``GET /files/<id>``: a file in ``files``, with the bearer token (else 403).

Every request is recorded in ``requests``. ``answer(...)`` scripts the next answers to API
calls: ``"ratelimited"`` (HTTP 429, ``Retry-After: 1``, ``ok:false`` ``ratelimited``), a status
code (``"500"``) or a Slack error name (``"channel_not_found"``), then normal answers again.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fake_server import LocalServer

TOKEN = "xoxb-test-0000-token"
TS = re.compile(r"^\d{10}\.\d{6}$")
USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
POST_FIELDS = {
    "channel", "text", "blocks", "attachments", "thread_ts", "reply_broadcast", "unfurl_links",
    "unfurl_media", "mrkdwn", "metadata", "username", "icon_emoji", "icon_url", "parse",
    "link_names", "as_user",
}  # fmt: skip


UPDATE_FIELDS = {"channel", "ts", "text", "blocks", "attachments", "as_user", "link_names",
                 "parse", "metadata", "reply_broadcast", "file_ids"}  # fmt: skip


def block_problems(blocks: Any) -> list[str]:
    """What is wrong with ``blocks`` per Block Kit's documented limits (the kinds used here)."""
    if not (isinstance(blocks, list) and 0 < len(blocks) <= 50):
        return ["blocks: not a list of 1-50 blocks"]
    problems = []
    action_ids: list[str] = []
    for b, block in enumerate(blocks):
        kind = block.get("type") if isinstance(block, dict) else None
        where = f"blocks[{b}]"
        if kind == "section":
            text = block.get("text") or {}
            if text.get("type") not in ("mrkdwn", "plain_text") or not (
                isinstance(text.get("text"), str) and 0 < len(text["text"]) <= 3000
            ):
                problems.append(f"{where}.text: not a text object of 1-3000 characters")
        elif kind == "context":
            elements = block.get("elements")
            if not (isinstance(elements, list) and 0 < len(elements) <= 10):
                problems.append(f"{where}.elements: not 1-10 elements")
        elif kind == "actions":
            elements = block.get("elements")
            if not (isinstance(elements, list) and 0 < len(elements) <= 25):
                problems.append(f"{where}.elements: not 1-25 elements")
                continue
            for e, element in enumerate(elements):
                problems += _button_problems(element, f"{where}.elements[{e}]")
                action_ids.append(str(element.get("action_id")))
        else:
            problems.append(f"{where}.type: {kind!r} is not faked here")
    if len(set(action_ids)) != len(action_ids):
        problems.append("blocks: action_id values must be unique")
    return problems


def _button_problems(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict) or element.get("type") != "button":
        return [f"{where}: not a button"]
    problems = []
    text = element.get("text") or {}
    if text.get("type") != "plain_text" or not (
        isinstance(text.get("text"), str) and 0 < len(text["text"]) <= 75
    ):
        problems.append(f"{where}.text: not plain_text of 1-75 characters")
    action_id = element.get("action_id")
    if not (isinstance(action_id, str) and 0 < len(action_id) <= 255):
        problems.append(f"{where}.action_id: not 1-255 characters")
    value = element.get("value")
    if value is not None and not (isinstance(value, str) and len(value) <= 2000):
        problems.append(f"{where}.value: over 2000 characters")
    if element.get("style") not in (None, "primary", "danger"):
        problems.append(f"{where}.style: not primary or danger")
    return problems


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeSlack(LocalServer):
    channels: set[str] = field(default_factory=lambda: {"C333", "C_OTHER"})
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._count = 0
        self._serve(_Handler, poll_interval=0.05)

    def user(self, user_id: str, *, email: str = "", name: str = "", locale: str = "es-LA") -> None:
        profile = {"real_name": name, "display_name": name.split(" ")[0]}
        if email:
            profile["email"] = email
        self.users[user_id] = {"id": user_id, "name": name, "locale": locale, "profile": profile}

    def file_url(self, file_id: str) -> str:
        return f"{self.base_url}/files/{file_id}"

    def answer(self, *answers: str) -> None:
        with self._lock:
            self._script.extend(answers)

    def calls(self, method: str) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.path == f"/api/{method}"]

    # ------------------------------------------------------------------ the server side

    def _handle(self, request: _Handler, body: bytes) -> None:
        split = urlsplit(request.path)
        received = Received(
            request.command,
            split.path,
            dict(parse_qsl(split.query)),
            dict(request.headers.items()),
            body,
        )
        with self._lock:
            self.requests.append(received)
        if split.path.startswith("/files/"):
            self._file(request, received)
            return
        scripted = self._next()
        if scripted == "ratelimited":
            _send(request, 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
            return
        if scripted.isdigit():
            _send(request, int(scripted), {"ok": False, "error": "internal_error"})
            return
        if scripted:
            _send(request, 200, {"ok": False, "error": scripted})
            return
        auth = received.headers.get("Authorization", "")
        if not auth:
            _send(request, 200, {"ok": False, "error": "not_authed"})
        elif auth != f"Bearer {TOKEN}":
            _send(request, 200, {"ok": False, "error": "invalid_auth"})
        elif split.path == "/api/chat.postMessage" and request.command == "POST":
            _send(request, 200, self._post(received))
        elif split.path == "/api/chat.update" and request.command == "POST":
            _send(request, 200, self._update(received))
        elif split.path == "/api/users.info":  # Slack takes any method by GET or POST
            form = dict(parse_qsl(received.body.decode(errors="replace")))
            found = self.users.get({**received.query, **form}.get("user", ""))
            document = (
                {"ok": True, "user": found} if found else {"ok": False, "error": "user_not_found"}
            )
            _send(request, 200, document)
        else:
            _send(request, 404, {"ok": False, "error": "unknown_method"})

    def _next(self) -> str:
        with self._lock:
            return self._script.popleft() if self._script else ""

    def _arguments(self, received: Received) -> dict[str, Any] | str:
        """The call's arguments, or the error name."""
        content_type = received.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            try:
                args = json.loads(received.body)
            except ValueError:
                return "invalid_json"
            return args if isinstance(args, dict) else "invalid_json"
        if content_type.startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(received.body.decode()))
        return "invalid_form_data"

    def _blocks_refused(self, args: dict[str, Any]) -> dict[str, Any] | None:
        if "blocks" not in args:
            return None
        problems = block_problems(args["blocks"])
        if not problems:
            return None
        with self._lock:
            self.problems += problems
        return {"ok": False, "error": "invalid_blocks", "errors": problems}

    def _update(self, received: Received) -> dict[str, Any]:
        args = self._arguments(received)
        if isinstance(args, str):
            return {"ok": False, "error": args}
        unknown = set(args) - UPDATE_FIELDS
        if unknown:
            return {"ok": False, "error": "invalid_arguments", "unknown": sorted(unknown)}
        channel, ts = args.get("channel"), args.get("ts")
        if not any(args.get(k) for k in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        with self._lock:
            known = any(p["channel"] == channel and p["ts"] == ts for p in self.posts)
        if not known:
            return {"ok": False, "error": "message_not_found"}
        refused = self._blocks_refused(args)
        if refused:
            return refused
        with self._lock:
            self.updates.append(args)
        return {"ok": True, "channel": channel, "ts": ts, "text": args.get("text", "")}

    def _post(self, received: Received) -> dict[str, Any]:
        args = self._arguments(received)
        if isinstance(args, str):
            return {"ok": False, "error": args}
        unknown = set(args) - POST_FIELDS
        channel = args.get("channel")
        if unknown or not isinstance(channel, str):
            return {"ok": False, "error": "invalid_arguments", "unknown": sorted(unknown)}
        if not any(
            isinstance(args.get(k), (str, list)) and args.get(k)
            for k in ("text", "blocks", "attachments")
        ):
            return {"ok": False, "error": "no_text"}
        thread = args.get("thread_ts")
        if thread is not None and not (isinstance(thread, str) and TS.match(thread)):
            return {"ok": False, "error": "invalid_thread_ts"}
        if channel not in self.channels and not USER.match(channel):
            return {"ok": False, "error": "channel_not_found"}
        refused = self._blocks_refused(args)
        if refused:
            return refused
        metadata = args.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, dict)
            and isinstance(metadata.get("event_type"), str)
            and isinstance(metadata.get("event_payload"), dict)
        ):
            return {"ok": False, "error": "invalid_metadata_format"}
        with self._lock:
            self._count += 1
            ts = f"1767700000.{self._count:06d}"
            self.posts.append({**args, "ts": ts})
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "message": {"text": args.get("text"), "ts": ts},
        }

    def _file(self, request: _Handler, received: Received) -> None:
        data = self.files.get(received.path.removeprefix("/files/"))
        if received.headers.get("Authorization") != f"Bearer {TOKEN}":
            _send(request, 403, {"ok": False, "error": "not_authed"})
        elif data is None:
            _send(request, 404, {"ok": False, "error": "file_not_found"})
        else:
            request.send_response(200)
            request.send_header("Content-Type", "application/octet-stream")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.fake._handle(self, body)  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        self.server.fake._handle(self, b"")  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _send(
    request: BaseHTTPRequestHandler,
    status: int,
    document: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    payload = json.dumps(document).encode()
    try:
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(payload)
    except OSError:
        request.close_connection = True
