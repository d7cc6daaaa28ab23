"""Files shared in a Slack message, fetched with the bot token (``url_private_download``) and
kept as the message's attachments within the upload quotas (``channels.email.parts``, as for an
email's attachments). A file over the per-file limit is not downloaded; one Slack does not give
(deleted meanwhile, no bot token) is left out; each with a note in the message. Only Slack's
file host (and the Web API's, for a fake) is ever sent the token.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import httpx
import structlog
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from soporte.channels.email.domain.parts import Part
from soporte.channels.slack import webapi
from soporte.channels.slack.domain.events import File
from soporte.jobs.outbox import DeliveryError
from soporte.notify.transports import http

log = structlog.get_logger(__name__)

FILE_HOST = "files.slack.com"


def fetch(files: Sequence[File], *, reach_slack: bool = True) -> tuple[list[Part], list[str]]:
    """The files' contents as parts, and a note per file left out (in the active language).
    Raises ``DeliveryError`` (the event is retried) when Slack cannot be reached; without
    ``reach_slack`` every file is left out."""
    limit = int(settings.SOPORTE_MAX_UPLOAD_BYTES)
    fetched: list[Part] = []
    notes: list[str] = []
    for file in files:
        values = {"name": file.name, "size": filesizeformat(file.size)}
        if file.size > limit:
            why = _("a file takes at most %(limit)s") % {"limit": filesizeformat(limit)}
            notes.append(
                _("The attachment %(name)s (%(size)s) was left out: %(why)s.")
                % {**values, "why": why}
            )
            continue
        reachable = reach_slack and webapi.configured() and _ours(file.url)
        data = _download(file, limit) if reachable else None
        if data is None:
            notes.append(_("The file %(name)s shared in Slack could not be fetched.") % values)
            continue
        fetched.append(Part(filename=file.name, content_type=file.mimetype, data=data))
    return fetched, notes


def _ours(url: str) -> bool:
    parts = urlsplit(url)
    api = urlsplit(str(settings.SOPORTE_SLACK_API_URL))
    if parts.hostname == FILE_HOST and parts.scheme == "https":
        return True
    return bool(url) and (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def _download(file: File, limit: int) -> bytes | None:
    """The file's bytes; ``None`` when Slack refuses it or it is larger than it said."""
    headers = {"Authorization": f"Bearer {settings.SOPORTE_SLACK_BOT_TOKEN}"}
    timeout = float(settings.SOPORTE_SLACK_TIMEOUT)
    try:
        with http.client().stream("GET", file.url, headers=headers, timeout=timeout) as response:
            if response.status_code == 429 or response.status_code >= 500:
                raise DeliveryError(f"Slack file {file.id}: HTTP {response.status_code}")
            if response.status_code != 200:
                log.warning("slack.file_refused", file=file.id, status=response.status_code)
                return None
            data = b""
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limit:
                    log.warning("slack.file_too_large", file=file.id, declared=file.size)
                    return None
            return data
    except httpx.HTTPError as exc:
        raise DeliveryError(f"Slack file {file.id}: {type(exc).__name__}: {exc}") from exc
