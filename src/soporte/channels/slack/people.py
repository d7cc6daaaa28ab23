"""Who wrote a Slack message: a contact of the channel's organisation.

A Slack user is looked up once per organisation (``users.info``, scopes ``users:read`` and
``users:read.email``) and remembered (:class:`SlackPerson`). Their email address finds a
contact of that organisation; an address nobody has yet makes a new contact with it (their
name, and their Slack language when the desk speaks it); an address that is another
organisation's, or none, makes a contact without an address (username
``slack:<organisation>:<user>``). A ticket from a shared channel is thus always the channel's
organisation's. A desk agent's address is not a customer: :func:`author` answers ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog

from soporte.accounts.models import Agent, Contact, Language, Organisation, email_is
from soporte.channels import senders
from soporte.channels.slack import webapi
from soporte.channels.slack.models import SlackPerson
from soporte.db.insert import insert_rows
from soporte.jobs.outbox import PermanentDeliveryError

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Profile:
    """What ``users.info`` tells of a user (empty strings where it tells nothing)."""

    email: str = ""
    name: str = ""
    language: str = ""
    """``es`` or ``en`` from the user's Slack locale, when it is one the desk speaks."""


def known(user_id: str, organisation: Organisation) -> Contact | None:
    """The contact ``user_id`` already is in ``organisation``."""
    person = SlackPerson.objects.select_related("contact__user", "contact__organisation")
    found = person.filter(user_id=user_id, organisation=organisation).first()
    return found.contact if found else None


def profile(user_id: str, *, name: str = "") -> Profile:
    """``users.info`` of ``user_id`` (raises ``DeliveryError`` to be retried when Slack cannot
    be reached). Without a bot token, or when Slack refuses (``user_not_found``,
    ``missing_scope``), only ``name`` (from the event) is known."""
    if not webapi.configured():
        return Profile(name=name)
    try:
        data = webapi.call("users.info", query=True, user=user_id, include_locale="true")
    except PermanentDeliveryError as exc:
        log.warning("slack.users_info_refused", user=user_id, error=str(exc))
        return Profile(name=name)
    user = _object(data.get("user"))
    details = _object(user.get("profile"))
    locale = str(user.get("locale") or "").split("-")[0].lower()
    return Profile(
        email=str(details.get("email") or "").strip().lower(),
        name=str(details.get("real_name") or user.get("real_name") or name or "").strip(),
        language=locale if locale in Language.values else "",
    )


def is_agent(found: Profile) -> bool:
    return bool(found.email) and Agent.objects.filter(email_is(found.email)).exists()


def author(user_id: str, organisation: Organisation, found: Profile) -> Contact:
    """The contact ``user_id`` (whose profile is ``found``, and whom ``known`` does not know)
    is in ``organisation``, made and remembered now. Joins the caller's transaction."""
    contact = _contact(user_id, organisation, found)
    row = {"user_id": user_id, "organisation_id": organisation.pk, "contact_id": contact.pk}
    if not insert_rows(SlackPerson, [row], returning_ids=True, skip_conflicts=True):
        contact = known(user_id, organisation) or contact  # remembered meanwhile by another event
    return contact


def _contact(user_id: str, organisation: Organisation, found: Profile) -> Contact:
    if found.email:
        existing = senders.known_contact(found.email)
        if existing is not None and existing.organisation_id == organisation.pk:
            return existing
        if existing is None:
            return senders.new_contact(
                organisation=organisation,
                address=found.email,
                name=found.name,
                language=found.language,
            )
    return senders.contact_without_address(
        username=f"slack:{organisation.pk}:{user_id}",
        organisation=organisation,
        name=found.name or user_id,
        language=found.language,
    )


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
