"""Identity verification: the host page's server proves who the widget's user is.

It signs ``HMAC-SHA256(secret, email + "|" + organisation_id)`` (hex) with the deployment's
chat secret (``SOPORTE_CHAT_SECRET``) and puts the email, the organisation ID and the signature
on the widget's ``<script>`` tag. A signature that does not match (or none) proves nothing: the
chat is then an unidentified sender's. Pure: no Django.
"""

from __future__ import annotations

import hashlib
import hmac


def signature(secret: str, email: str, organisation_id: str) -> str:
    """The hex signature a host page puts on the widget for this user."""
    payload = f"{email}|{organisation_id}".encode()
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def verified(secret: str, email: str, organisation_id: str, given: str) -> bool:
    """Whether ``given`` is this user's signature (compared in constant time; an empty secret
    or signature never verifies)."""
    if not secret or not given or not email or not organisation_id:
        return False
    expected = signature(secret, email, organisation_id)
    return hmac.compare_digest(expected, given.strip().lower())
