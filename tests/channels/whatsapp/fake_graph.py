"""A local fake of the Graph API's WhatsApp endpoints, for tests: a threaded ``http.server`` on
127.0.0.1 (an ephemeral port), written from ``../shared/reference/protocols.md`` §3.6-3.7 and
Meta's media endpoints, independently of soporte's own builders.

- ``POST /v21.0/{phone-number-id}/messages``: checks the bearer token, the JSON and the
  documented shape of a text, template, media or interactive (reply buttons) message; answers
  the success shape with a new wamid, or Meta's error shape with 400 (``problems`` keeps what
  was wrong).
- ``POST /v21.0/{phone-number-id}/media``: a multipart upload (``messaging_product``, ``type``,
  ``file``); answers ``{"id": ...}``.
- ``GET /v21.0/{media-id}``: a customer's media (``add_media``): its URL, type and size.
- ``GET /files/{media-id}``: the file itself, with the bearer token.

Every request is recorded in ``requests``; ``answer(...)`` scripts the next answers to message
sends (a status code, or ``"131047"``: Meta's re-engagement error, with 400).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any

from fake_server import LocalServer

VERSION = "v21.0"
TOKEN = "test-graph-token"
PHONE_NUMBER_ID = "106540352242922"
MAX_TEXT = 4096
MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class StoredMedia:
    data: bytes
    mime_type: str
    declared: int | None
    """``file_size`` the media endpoint states (``None``: not stated)."""
    content_length: bool = True
    """Whether the download states its Content-Length."""


def message_problems(body: Any) -> list[str]:
    """What is wrong with ``body`` as a Cloud API message, per the documented format."""
    if not isinstance(body, dict):
        return ["body: not a JSON object"]
    problems = []
    if body.get("messaging_product") != "whatsapp":
        problems.append("messaging_product: must be 'whatsapp'")
    if body.get("recipient_type", "individual") != "individual":
        problems.append("recipient_type: must be 'individual'")
    to = body.get("to")
    if not (isinstance(to, str) and to.isdigit() and 8 <= len(to) <= 15):
        problems.append(f"to: not a phone number's digits: {to!r}")
    kind = body.get("type")
    part = body.get(kind) if isinstance(kind, str) else None
    if not isinstance(part, dict):
        return [*problems, f"{kind}: missing the object of type {kind!r}"]
    if kind == "text":
        text = part.get("body")
        if not (isinstance(text, str) and 0 < len(text) <= MAX_TEXT):
            problems.append("text.body: not 1-4096 characters")
    elif kind == "template":
        problems += _template_problems(part)
    elif kind == "interactive":
        problems += _interactive_problems(part)
    elif kind in MEDIA_TYPES:
        if not (isinstance(part.get("id"), str) and part["id"]) and "link" not in part:
            problems.append(f"{kind}.id: missing")
    else:
        problems.append(f"type: unknown {kind!r}")
    context = body.get("context")
    if context is not None and not (isinstance(context, dict) and context.get("message_id")):
        problems.append("context.message_id: missing")
    return problems


def _interactive_problems(interactive: dict[str, Any]) -> list[str]:
    """Reply buttons (``interactive.type: button``): a body of 1-1024 characters, 1-3 buttons
    of ``type: reply`` with distinct ids (1-256 characters) and titles of 1-20 characters."""
    if interactive.get("type") != "button":
        return [f"interactive.type: only 'button' is faked, got {interactive.get('type')!r}"]
    problems = []
    text = (interactive.get("body") or {}).get("text")
    if not (isinstance(text, str) and 0 < len(text) <= 1024):
        problems.append("interactive.body.text: not 1-1024 characters")
    buttons = (interactive.get("action") or {}).get("buttons")
    if not (isinstance(buttons, list) and 1 <= len(buttons) <= 3):
        return [*problems, "interactive.action.buttons: not 1-3 buttons"]
    ids = []
    for b, button in enumerate(buttons):
        reply = button.get("reply") if isinstance(button, dict) else None
        if not isinstance(reply, dict) or button.get("type") != "reply":
            problems.append(f"interactive.action.buttons[{b}]: not a reply button")
            continue
        id_, title = reply.get("id"), reply.get("title")
        if not (isinstance(id_, str) and 0 < len(id_) <= 256):
            problems.append(f"interactive.action.buttons[{b}].reply.id: not 1-256 characters")
        if not (isinstance(title, str) and 0 < len(title) <= 20):
            problems.append(f"interactive.action.buttons[{b}].reply.title: not 1-20 characters")
        ids.append(id_)
    if len(set(ids)) != len(ids):
        problems.append("interactive.action.buttons: ids must differ")
    return problems


def _template_problems(template: dict[str, Any]) -> list[str]:
    problems = []
    if not (isinstance(template.get("name"), str) and template["name"]):
        problems.append("template.name: missing")
    language = template.get("language")
    if not (isinstance(language, dict) and isinstance(language.get("code"), str)):
        problems.append("template.language.code: missing")
    for c, component in enumerate(template.get("components") or []):
        for p, parameter in enumerate(component.get("parameters") or []):
            text = parameter.get("text")
            if parameter.get("type") != "text" or not isinstance(text, str) or not text:
                problems.append(f"template.components[{c}].parameters[{p}]: not text")
            elif "\n" in text or "\t" in text or "    " in text:
                problems.append(f"template.components[{c}].parameters[{p}]: new line or tab")
    return problems


class FakeGraph(LocalServer):
    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.problems: list[str] = []
        self.media: dict[str, StoredMedia] = {}
        self.uploads: dict[str, tuple[bytes, str]] = {}
        self._script: deque[str] = deque()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._serve(_Handler)

    @property
    def graph_url(self) -> str:
        return f"{self.base_url}/{VERSION}"

    def add_media(
        self,
        media_id: str,
        data: bytes,
        mime_type: str,
        *,
        declared: int | None = -1,
        content_length: bool = True,
    ) -> None:
        """Serve ``data`` as customer media ``media_id`` (``declared``: the size the media
        endpoint states; -1: the true size)."""
        size = len(data) if declared == -1 else declared
        self.media[media_id] = StoredMedia(data, mime_type, size, content_length)

    def answer(self, *answers: str) -> None:
        with self._lock:
            self._script.extend(answers)

    def sent(self) -> list[dict[str, Any]]:
        """The message bodies accepted, in order."""
        path = f"/{VERSION}/{PHONE_NUMBER_ID}/messages"
        with self._lock:
            return [r.json() for r in self.requests if r.path == path and r.status == 200]

    def _handle(self, request: _Handler, body: bytes) -> None:
        path = request.path
        status, document, raw = self._route(request, path, body)
        with self._lock:
            self.requests.append(
                Received(request.command, path, dict(request.headers.items()), body, status)
            )
        if raw is not None:
            _send_raw(request, status, *raw)
        else:
            _send(request, status, document)

    def _route(
        self, request: _Handler, path: str, body: bytes
    ) -> tuple[int, dict[str, Any], tuple[bytes, str, bool] | None]:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, _error(190, "Invalid OAuth access token"), None
        messages = f"/{VERSION}/{PHONE_NUMBER_ID}/messages"
        uploads = f"/{VERSION}/{PHONE_NUMBER_ID}/media"
        if request.command == "POST" and path == messages:
            return (*self._message(request, body), None)
        if request.command == "POST" and path == uploads:
            return (*self._upload(request, body), None)
        if request.command == "GET" and path.startswith(f"/{VERSION}/"):
            stored = self.media.get(path.rsplit("/", 1)[-1])
            if stored is None:
                return 404, _error(100, "Unsupported get request"), None
            info: dict[str, Any] = {
                "messaging_product": "whatsapp",
                "url": f"{self.base_url}/files/{path.rsplit('/', 1)[-1]}",
                "mime_type": stored.mime_type,
                "sha256": "0" * 64,
                "id": path.rsplit("/", 1)[-1],
            }
            if stored.declared is not None:
                info["file_size"] = stored.declared
            return 200, info, None
        if request.command == "GET" and path.startswith("/files/"):
            stored = self.media.get(path.rsplit("/", 1)[-1])
            if stored is None:
                return 404, _error(100, "Unknown file"), None
            return 200, {}, (stored.data, stored.mime_type, stored.content_length)
        return 404, _error(100, f"Unknown path {path}"), None

    def _message(self, request: _Handler, body: bytes) -> tuple[int, dict[str, Any]]:
        if not request.headers.get("Content-Type", "").startswith("application/json"):
            return 400, _error(100, "Content-Type must be application/json")
        try:
            message = json.loads(body)
        except ValueError:
            return 400, _error(100, "The request body is not JSON")
        problems = message_problems(message)
        if problems:
            with self._lock:
                self.problems += problems
            return 400, _error(100, "; ".join(problems))
        with self._lock:
            scripted = self._script.popleft() if self._script else "200"
        if scripted == "131047":
            return 400, _error(131047, "Re-engagement message")
        if scripted != "200":
            return int(scripted), _error(1, "scripted failure")
        wamid = f"wamid.FAKE{next(self._ids)}"
        to = message["to"]
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}],
        }

    def _upload(self, request: _Handler, body: bytes) -> tuple[int, dict[str, Any]]:
        content_type = request.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            return 400, _error(100, "the upload must be multipart/form-data")
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        form = BytesParser(policy=HTTP).parsebytes(head + body)
        fields: dict[str, tuple[bytes, str]] = {}
        for part in form.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            fields[str(name)] = (payload, part.get_content_type())
        if fields.get("messaging_product", (b"",))[0] != b"whatsapp":
            return 400, _error(100, "messaging_product: must be 'whatsapp'")
        if "file" not in fields or not fields["file"][0] or "type" not in fields:
            return 400, _error(100, "file and type are required")
        media_id = f"upload-{next(self._ids)}"
        with self._lock:
            self.uploads[media_id] = (fields["file"][0], fields["type"][0].decode())
        return 200, {"id": media_id}


def _error(code: int, message: str) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "AbCdEf",
        }
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.fake._handle(self, body)  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        self.server.fake._handle(self, b"")  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _send(request: BaseHTTPRequestHandler, status: int, document: dict[str, Any]) -> None:
    _send_raw(request, status, json.dumps(document).encode(), "application/json", True)


def _send_raw(
    request: BaseHTTPRequestHandler, status: int, data: bytes, mime: str, length: bool
) -> None:
    try:
        request.send_response(status)
        request.send_header("Content-Type", mime)
        if length:
            request.send_header("Content-Length", str(len(data)))
        else:
            request.send_header("Connection", "close")
            request.close_connection = True
        request.end_headers()
        request.wfile.write(data)
    except OSError:
        request.close_connection = True
