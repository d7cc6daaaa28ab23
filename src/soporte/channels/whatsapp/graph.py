"""A thin client of the Graph API's WhatsApp endpoints (``../shared/reference/protocols.md``
§3.6; Meta's media endpoints), over the transports' pooled ``httpx`` client
(``notify.transports.http``): send a message, upload a file, fetch a customer's media.

The base URL (with its version) is ``SOPORTE_WHATSAPP_GRAPH_URL``, so tests point it at a local
fake. Every request carries ``Authorization: Bearer SOPORTE_WHATSAPP_TOKEN``. Failures raise
the outbox's errors: 4xx (but 408 and 429) is permanent, the rest is retried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from soporte.jobs.outbox import DeliveryError, PermanentDeliveryError
from soporte.notify.transports import http


class TooLarge(Exception):
    """A media file over the limit: ``size`` bytes (or more, when it was cut off)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


@dataclass(frozen=True, slots=True)
class MediaInfo:
    url: str
    mime_type: str
    size: int | None


def _url(path: str) -> str:
    return f"{settings.SOPORTE_WHATSAPP_GRAPH_URL}/{path.lstrip('/')}"


def _auth() -> dict[str, str]:
    token = settings.SOPORTE_WHATSAPP_TOKEN
    if not token:
        raise PermanentDeliveryError("SOPORTE_WHATSAPP_TOKEN is not set")
    return {"Authorization": f"Bearer {token}"}


def _number() -> str:
    number = settings.SOPORTE_WHATSAPP_PHONE_NUMBER_ID
    if not number:
        raise PermanentDeliveryError("SOPORTE_WHATSAPP_PHONE_NUMBER_ID is not set")
    return str(number)


def send_message(body: dict[str, Any]) -> str:
    """POST ``body`` to ``/{phone-number-id}/messages``; the wamid the API answers with."""
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    url = _url(f"{_number()}/messages")
    response = http.post_json(
        url, content=content, headers=_auth(), timeout=settings.SOPORTE_WHATSAPP_TIMEOUT
    )
    http.raise_for_status(response, what="the WhatsApp Cloud API")
    try:
        return str(response.json()["messages"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise DeliveryError(
            f"the Cloud API answered no message id: {http.excerpt(response)}"
        ) from None


def upload_media(data: bytes, *, mime_type: str, filename: str) -> str:
    """POST a file to ``/{phone-number-id}/media`` (multipart); the media id."""
    url = _url(f"{_number()}/media")
    try:
        response = http.client().post(
            url,
            headers=_auth(),
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename or "file", data, mime_type)},
            timeout=settings.SOPORTE_WHATSAPP_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{url}: {type(exc).__name__}: {exc}") from exc
    http.raise_for_status(response, what="the WhatsApp media upload")
    try:
        return str(response.json()["id"])
    except (ValueError, KeyError, TypeError):
        raise DeliveryError(f"the media upload answered no id: {http.excerpt(response)}") from None


def media_info(media_id: str) -> MediaInfo:
    """``GET /{media-id}``: where the file is, its type and size (when said)."""
    url = _url(media_id)
    try:
        response = http.client().get(
            url, headers=_auth(), timeout=settings.SOPORTE_WHATSAPP_TIMEOUT
        )
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{url}: {type(exc).__name__}: {exc}") from exc
    http.raise_for_status(response, what="the WhatsApp media endpoint")
    try:
        info = response.json()
        size = info.get("file_size")
        return MediaInfo(
            url=str(info["url"]),
            mime_type=str(info.get("mime_type") or ""),
            size=int(size) if size is not None else None,
        )
    except (ValueError, KeyError, TypeError):
        raise DeliveryError(
            f"the media endpoint answered no url: {http.excerpt(response)}"
        ) from None


def download(url: str, *, limit: int) -> bytes:
    """The file at ``url`` (with the bearer token), read only up to ``limit`` bytes: a larger
    one (by its Content-Length, or as it streams) raises :class:`TooLarge`."""
    try:
        with http.client().stream(
            "GET", url, headers=_auth(), timeout=settings.SOPORTE_WHATSAPP_TIMEOUT
        ) as response:
            if not 200 <= response.status_code < 300:
                response.read()
                http.raise_for_status(response, what="the WhatsApp media download")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise TooLarge(int(declared))
            data = bytearray()
            for piece in response.iter_bytes():
                data += piece
                if len(data) > limit:
                    raise TooLarge(len(data))
            return bytes(data)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{url}: {type(exc).__name__}: {exc}") from exc
