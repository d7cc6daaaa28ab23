"""The desk's public address: where links in emails and printed addresses point.

One source: settings ``PUBLIC_BASE_URL`` (env ``SOPORTE_PUBLIC_URL``). Unset, ``soporte serve``
makes it the address it binds (``--host``/``--port``), for itself and for the worker it starts;
a standalone ``soporte worker`` (scale-out) needs ``SOPORTE_PUBLIC_URL`` set.
"""

from __future__ import annotations

import os
import socket

from django.conf import settings

ENV = "SOPORTE_PUBLIC_URL"
EVERY_INTERFACE = frozenset({"", "0.0.0.0", "::"})


def public_url(path: str = "") -> str:
    """``path`` (starting with ``/``) as a full address on the desk."""
    return f"{settings.PUBLIC_BASE_URL}{path}"


def default_to_bind(host: str, port: int) -> str:
    """Unless ``SOPORTE_PUBLIC_URL`` is set, the public URL becomes ``http://host:port`` (the
    machine's name when binding every interface) here and in the processes started from here."""
    if os.environ.get(ENV, "").strip():
        return str(settings.PUBLIC_BASE_URL)
    name = socket.gethostname() if host in EVERY_INTERFACE else host
    base = f"http://[{name}]:{port}" if ":" in name else f"http://{name}:{port}"
    os.environ[ENV] = base
    settings.PUBLIC_BASE_URL = base
    return base
