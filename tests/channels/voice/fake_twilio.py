"""A local fake of Twilio for tests: its REST API (SMS and calls) and its signed webhooks.

REST (``FakeTwilio``): a threaded ``http.server`` on 127.0.0.1. ``POST
/2010-04-01/Accounts/{AccountSid}/Messages.json`` and ``.../Calls.json`` are checked as Twilio
documents them, independently of soporte's client: HTTP Basic auth with the account SID and
auth token (else 401, Twilio's error 20003), a form body (``application/x-www-form-urlencoded``),
``To`` and ``From`` in E.164, ``Body`` (1-1600 characters) for a message, ``Twiml`` (at most
4000 characters, a ``<Response>`` document) or ``Url`` for a call; a wrong one gets 400 with
Twilio's error document (``code``, ``message``, ``more_info``, ``status``). Accepted ones get
201 and a ``sid`` (``SM…``, ``CA…``) and are kept in ``messages`` and ``calls``. Every request
is recorded in ``requests``. Answers can be scripted with ``answer("500", "429", ...)``.

Webhooks: :func:`sign` is ``X-Twilio-Signature`` written from protocols.md §6.3 (stdlib only),
:func:`call_params` the parameters of an incoming call as Twilio sends them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs
from xml.etree import ElementTree

from fake_server import LocalServer

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-twilio-auth-token"
FROM_NUMBER = "+528100000000"
_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC\w+)/(?P<what>Messages|Calls)\.json$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_counter = itertools.count(1)


def sign(token: str, url: str, params: dict[str, str]) -> str:
    """``X-Twilio-Signature`` of ``params`` POSTed to ``url`` (protocols.md §6.3)."""
    data = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def call_sid(n: int | None = None) -> str:
    return f"CA{(n if n is not None else next(_counter)):032x}"


def call_params(
    sid: str, caller: str, called: str = "+528126982500", **extra: str
) -> dict[str, str]:
    """An incoming call's parameters, as Twilio POSTs them to the Voice URL (§4.1)."""
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": sid,
        "CallStatus": "ringing",
        "Called": called,
        "Caller": caller,
        "Direction": "inbound",
        "From": caller,
        "FromCountry": "MX",
        "To": called,
        "ToCountry": "MX",
        **extra,
    }


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]
    status: int


class FakeTwilio(LocalServer):
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.requests: list[Received] = []
        self.messages: list[dict[str, str]] = []
        self.calls: list[dict[str, str]] = []
        self.problems: list[str] = []
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._serve(_Handler)

    def answer(self, *statuses: str) -> None:
        """Script the status of the next requests (then the checked answer again)."""
        with self._lock:
            self._script.extend(statuses)

    def _handle(self, request: _Handler, body: bytes) -> None:
        with self._lock:
            scripted = self._script.popleft() if self._script else None
        form = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        status, document = self._check(request, form)
        if scripted is not None and status < 400:
            status = int(scripted)
            document = _error(20500 if status >= 500 else 20429, "scripted failure", status)
        with self._lock:
            self.requests.append(
                Received(request.command, request.path, dict(request.headers), form, status)
            )
        _send(request, status, document)

    def _check(self, request: _Handler, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        expected = "Basic " + base64.b64encode(
            f"{self.account_sid}:{self.auth_token}".encode()
        ).decode("ascii")
        if request.headers.get("Authorization") != expected:
            return self._refuse(401, 20003, "Authenticate")
        found = _PATH.match(request.path)
        if found is None or found["sid"] != self.account_sid:
            return self._refuse(404, 20404, f"The requested resource {request.path} was not found")
        content_type = request.headers.get("Content-Type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return self._refuse(400, 21000, f"Content-Type {content_type!r} is not a form")
        for name in ("To", "From"):
            if not _E164.match(form.get(name, "")):
                return self._refuse(400, 21211, f"Invalid '{name}' Phone Number: {form.get(name)}")
        if found["what"] == "Messages":
            body = form.get("Body", "")
            if not 0 < len(body) <= 1600:
                return self._refuse(400, 21617, "The concatenated message body exceeds 1600")
            sid, kept = f"SM{next(_counter):032x}", self.messages
        else:
            problem = _call_problem(form)
            if problem:
                return self._refuse(400, 21205, problem)
            sid, kept = call_sid(), self.calls
        with self._lock:
            kept.append(form)
        return 201, {"sid": sid, "account_sid": self.account_sid, "status": "queued", **form}

    def _refuse(self, status: int, code: int, message: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.problems.append(message)
        return status, _error(code, message, status)


def _call_problem(form: dict[str, str]) -> str:
    twiml, url = form.get("Twiml", ""), form.get("Url", "")
    if bool(twiml) == bool(url):
        return "Either Url or Twiml is required (not both)"
    if twiml:
        if len(twiml) > 4000:
            return "Twiml: over 4000 characters"
        try:
            root = ElementTree.fromstring(twiml)
        except ElementTree.ParseError as exc:
            return f"Twiml: not XML ({exc})"
        if root.tag != "Response":
            return f"Twiml: the root is <{root.tag}>, not <Response>"
    return ""


def _error(code: int, message: str, status: int) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.fake._handle(self, body)  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _send(request: BaseHTTPRequestHandler, status: int, document: dict[str, Any]) -> None:
    payload = json.dumps(document).encode()
    try:
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)
    except OSError:
        request.close_connection = True
