"""Every email soporte sends is built here, so that no text can break its headers.

Django refuses a header holding CR or LF (``BadHeaderError``) and the message then fails for
good: a ticket subject with a line break once silenced every page about it. ``email_message``
writes each header value as one line (:func:`soporte.text.one_line`); the body is free text.
Every email soporte sends goes through the outbox (password resets included), whose email
transport (:func:`soporte.jobs.outbox.send_email`) builds it here; build any new email with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend

from soporte.text import one_line


def header(value: object) -> str:
    """A header value as one safe line (controls and line breaks folded into spaces)."""
    return one_line(str(value))


def email_message(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    cc: Sequence[str] = (),
    from_email: str | None = None,
    headers: Mapping[str, object] | None = None,
    html: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    """The email to send: ``subject`` and every header one line; ``body`` (plain text) and
    ``html`` (an alternative) as given; ``attachments`` as (file name, content, media type).
    Addresses are not rewritten: an address with a line break is not an address, and Django
    refuses it."""
    email = EmailMultiAlternatives(
        subject=header(subject),
        body=body,
        from_email=from_email or None,
        to=list(to),
        cc=list(cc),
        headers={str(name): header(value) for name, value in (headers or {}).items()},
        connection=connection,
    )
    if html:
        email.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        email.attach(header(filename), content, mimetype)
    return email
