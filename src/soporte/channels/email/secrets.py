"""The desk's email identity, from the settings: its bare address (``DEFAULT_FROM_EMAIL``
without a display name), the secret that signs tickets' reply addresses (derived from
``SECRET_KEY``, so it changes with it and needs no setting of its own), and a ticket's reply
address. The email channel's ingest and outbound mail both read them here.
"""

from __future__ import annotations

import hashlib
import hmac
from email.utils import parseaddr

from django.conf import settings

from soporte.channels.email.domain.addresses import reply_address

_LABEL = b"soporte.channels.email.reply-address"


def reply_secret() -> str:
    """The secret of the reply addresses' HMAC: an HMAC of a fixed label with ``SECRET_KEY``
    (the key itself never leaves the settings)."""
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, _LABEL, hashlib.sha256).hexdigest()


def desk_address() -> str:
    """The desk's own address, ``DEFAULT_FROM_EMAIL`` without its display name
    (``TrackMyVend <soporte@x>`` → ``soporte@x``)."""
    return parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1] or str(settings.DEFAULT_FROM_EMAIL)


def ticket_reply_address(number: int) -> str:
    """The reply address of ticket ``number`` (``soporte+42-1a2b3c4d5e@…``)."""
    return reply_address(number, desk=desk_address(), secret=reply_secret())
