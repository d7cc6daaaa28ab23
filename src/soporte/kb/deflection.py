"""Deflection: the articles suggested while a customer writes a new ticket's subject (in the
portal or the chat widget), which one they opened, and whether they filed the ticket after all.

One :class:`~soporte.kb.models.Deflection` per composing session. The page (or widget) holds the
session's signed token and sends it back with each new query, with the link of an opened
suggestion and with the filed ticket; a tampered token finds nothing. An opened suggestion
whose session filed no ticket counts as deflected.

Opening is recorded by a plain GET redirect (``kb:suggested``): the links exist only in the
suggestions the customer's own browser fetched while typing (never in an email a scanner could
prefetch), so the request is the customer's click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.urls import reverse

from soporte.accounts.models import Contact
from soporte.kb.models import Article, Deflection, Status
from soporte.kb.search import MAX_QUERY, Hit, search
from soporte.public import public_url
from soporte.text import one_line
from soporte.tickets.models import Ticket

SUGGESTIONS = 5

_SIGNER = signing.Signer(salt="soporte.kb.deflection")


class QueryTooLong(ValueError):
    """The typed text is longer than :data:`MAX_QUERY` characters."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested article and its recording link (absolute: the widget is on another site)."""

    hit: Hit
    url: str


@dataclass(frozen=True, slots=True)
class Suggested:
    """What to show under the subject, and the session's token to send back ("": none yet)."""

    suggestions: list[Suggestion]
    token: str


def token_of(deflection: Deflection) -> str:
    return _SIGNER.sign(str(deflection.pk))


def session(token: str) -> Deflection | None:
    """The session ``token`` was made for, or None (empty, tampered or unknown)."""
    try:
        return Deflection.objects.get(pk=int(_SIGNER.unsign(token)))
    except (signing.BadSignature, ValueError, Deflection.DoesNotExist):
        return None


def suggest(
    *, where: str, contact: Contact, query: str, language: str, token: str, now: datetime
) -> Suggested:
    """The published articles in ``language`` matching ``query``. The first query with any
    match opens the session (at ``now``); a later one updates its query. A token that is not
    this contact's session here, or whose session already filed its ticket, starts a new one."""
    query = one_line(query)
    if len(query) > MAX_QUERY:
        raise QueryTooLong(query)
    hits = search(query, language=language, limit=SUGGESTIONS) if query else []
    if not hits:
        return Suggested([], token)
    with transaction.atomic():
        found = session(token)
        if (
            found is None
            or found.contact_id != contact.pk
            or found.where != where
            or found.ticket_id is not None
        ):
            found = Deflection.objects.create(
                where=where, contact=contact, query=query, language=language, suggested_at=now
            )
        elif (found.query, found.language) != (query, language):
            found.query, found.language = query, language
            found.save(update_fields=["query", "language"])
    signed = token_of(found)
    return Suggested([Suggestion(hit, _link(signed, hit.article_id)) for hit in hits], signed)


def _link(token: str, article_id: int) -> str:
    return public_url(reverse("kb:suggested", kwargs={"token": token, "article": article_id}))


def open_suggestion(*, token: str, article_id: int, now: datetime) -> Article | None:
    """Record that the session opened the article at ``now``; the published article to show,
    or None (an unknown session or article). The latest article opened is the one kept."""
    found = session(token)
    article = Article.objects.filter(pk=article_id, status=Status.PUBLISHED).first()
    if found is None or article is None:
        return None
    Deflection.objects.filter(pk=found.pk).update(opened=article, opened_at=now)
    return article


def filed(*, token: str, contact: Contact, ticket: Ticket) -> bool:
    """The session's customer filed ``ticket`` after all: it was not deflected. False (nothing
    changed) for no session, another contact's, or one that already filed a ticket."""
    found = session(token)
    if found is None or found.contact_id != contact.pk:
        return False
    return bool(Deflection.objects.filter(pk=found.pk, ticket__isnull=True).update(ticket=ticket))
