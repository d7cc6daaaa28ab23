"""A ticket's own reply address, ``soporte+<ticket>-<mac>@domain``: mail to it belongs to the
ticket, and a guessed ticket number cannot reach someone else's ticket (the mac is an HMAC of
the number with the deployment's secret). Pure: the secret and the desk's address are
parameters.
"""

from __future__ import annotations

import hashlib
import hmac
import re

MAC_LENGTH = 10
"""Hex characters of the HMAC kept in the address (40 bits: guessing one is hopeless)."""


def reply_address(ticket: int, *, desk: str, secret: str) -> str:
    """The reply address of ticket ``ticket`` for the desk's address ``desk``
    (``soporte@trackmyvend.com`` → ``soporte+42-1a2b3c4d5e@trackmyvend.com``)."""
    local, _, domain = desk.partition("@")
    base = local.split("+", 1)[0]
    return f"{base}+{ticket}-{_mac(ticket, secret)}@{domain}"


def ticket_of(address: str, *, desk: str, secret: str) -> int | None:
    """The ticket whose reply address ``address`` is, or ``None`` (another address, or a
    tag whose mac is wrong)."""
    local, _, domain = address.strip().lower().partition("@")
    desk_local, _, desk_domain = desk.lower().partition("@")
    if domain != desk_domain:
        return None
    match = _TAGGED.fullmatch(local)
    if match is None or match["base"] != desk_local.split("+", 1)[0]:
        return None
    number = int(match["ticket"])
    if not hmac.compare_digest(match["mac"], _mac(number, secret)):
        return None
    return number


_TAGGED = re.compile(r"(?P<base>[^+]+)\+(?P<ticket>[1-9][0-9]{0,17})-(?P<mac>[0-9a-f]+)")


def _mac(ticket: int, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"reply:{ticket}".encode(), hashlib.sha256)
    return digest.hexdigest()[:MAC_LENGTH]
