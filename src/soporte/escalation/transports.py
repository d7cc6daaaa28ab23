"""The ways a page (or a CSM's notice) reaches a person: a registry of transports.

Each :class:`Transport` has a name (``PageNotification.transport``), whether it is configured
(PagerDuty's routing key, Twilio's account...), whether it ``reaches`` an agent (they have its
contact method on their profile) and ``send``, which queues one :class:`Alert` in the outbox
and returns the message. The order a page tries them is the policy's
``[oncall] page_transports``; :func:`usable` keeps those registered, configured and reaching
the agent. A message that fails for good falls back to the next of them
(``services.fall_back``).

PagerDuty, email, SMS and voice calls (Twilio), WhatsApp (an approved template) and Slack (a
direct message) register here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from soporte.accounts.models import Agent
from soporte.channels.slack import paging as slack
from soporte.channels.voice import paging as voice
from soporte.channels.whatsapp import paging as whatsapp
from soporte.jobs.models import OutboxMessage
from soporte.jobs.outbox import enqueue_email
from soporte.notify.transports import twilio
from soporte.notify.transports.pagerduty import PagerDutyEvent, enqueue_pagerduty
from soporte.policy import default_policy

SHORT_MAX = 480
"""The longest one-line text (an SMS of a few segments, a spoken page)."""


@dataclass(frozen=True, slots=True)
class Alert:
    """One message to one agent, in their language: ``subject`` and ``body`` for email,
    ``short`` (the subject and the acknowledge link) for a phone, a chat or a DM."""

    key: str
    agent: Agent
    subject: str
    body: str
    short: str
    due_at: datetime
    max_attempts: int | None = None
    ack_link: str = ""
    runbook_link: str = ""
    """A page's: the RUNBOOK (the policy's ``oncall.runbook_url``), in every transport's message."""
    voice_ack_url: str = ""
    """A page's: where the voice call's keypad acknowledgement goes."""
    pagerduty: PagerDutyEvent | None = None
    """A page's trigger for PagerDuty (PagerDuty only takes pages)."""


@dataclass(frozen=True, slots=True)
class Transport:
    name: str
    configured: Callable[[], bool]
    reaches: Callable[[Alert], bool]
    send: Callable[[Alert], OutboxMessage]


_REGISTRY: dict[str, Transport] = {}


def register(transport: Transport) -> Transport:
    _REGISTRY[transport.name] = transport
    return transport


def usable(alert: Alert, order: tuple[str, ...] | None = None) -> list[Transport]:
    """The transports that can take ``alert`` (default order: the policy's), in order."""
    names = order if order is not None else default_policy().oncall.page_transports
    found = (_REGISTRY.get(name) for name in names)
    return [t for t in found if t is not None and t.configured() and t.reaches(alert)]


def named(name: str) -> Transport | None:
    return _REGISTRY.get(name)


def whatsapp_transport(
    enqueue_page: Callable[..., OutboxMessage], *, configured: Callable[[], bool]
) -> Transport:
    """WhatsApp (an approved template message with the subject, the acknowledge link and,
    when the policy names one, the runbook's link as its parameters) to the agent's WhatsApp
    number."""
    return Transport(
        "whatsapp",
        configured,
        lambda alert: bool(alert.agent.whatsapp),
        lambda alert: enqueue_page(
            key=alert.key,
            to=alert.agent.whatsapp,
            text_params=[alert.subject, alert.ack_link, alert.runbook_link][
                : 3 if alert.runbook_link else 2
            ],
            lang=alert.agent.locale,
            due_at=alert.due_at,
            max_attempts=alert.max_attempts,
        ),
    )


def slack_transport(
    enqueue_page: Callable[..., OutboxMessage], *, configured: Callable[[], bool]
) -> Transport:
    """A Slack DM of the short text to the agent's Slack member ID."""
    return Transport(
        "slack",
        configured,
        lambda alert: bool(alert.agent.slack_user_id),
        lambda alert: enqueue_page(
            key=alert.key,
            user_id=alert.agent.slack_user_id,
            text=alert.short,
            due_at=alert.due_at,
            max_attempts=alert.max_attempts,
        ),
    )


def _pagerduty(alert: Alert) -> OutboxMessage:
    assert alert.pagerduty is not None
    return enqueue_pagerduty(
        key=alert.key,
        event=alert.pagerduty,
        due_at=alert.due_at,
        max_attempts=alert.max_attempts,
        urgent=True,
    )


def _email(alert: Alert) -> OutboxMessage:
    return enqueue_email(
        key=alert.key,
        to=[alert.agent.email],
        subject=alert.subject,
        body=alert.body,
        due_at=alert.due_at,
        max_attempts=alert.max_attempts,
        urgent=True,
    )


def _sms(alert: Alert) -> OutboxMessage:
    assert alert.agent.mobile is not None
    return twilio.enqueue_sms(
        key=alert.key,
        to=alert.agent.mobile,
        body=alert.short,
        due_at=alert.due_at,
        max_attempts=alert.max_attempts,
    )


def _call(alert: Alert) -> OutboxMessage:
    assert alert.agent.mobile is not None
    return voice.enqueue_page(
        key=alert.key,
        to=alert.agent.mobile,
        text=alert.subject,
        lang=alert.agent.locale,
        ack_url=alert.voice_ack_url,
        runbook=alert.runbook_link,
        due_at=alert.due_at,
        max_attempts=alert.max_attempts,
    )


def _has_mobile(alert: Alert) -> bool:
    return alert.agent.mobile is not None


def _always() -> bool:
    return True


def _pages(alert: Alert) -> bool:
    return alert.pagerduty is not None


def _has_email(alert: Alert) -> bool:
    return bool(alert.agent.email)


def _calls_back(alert: Alert) -> bool:
    return _has_mobile(alert) and bool(alert.voice_ack_url)


def _pagerduty_configured() -> bool:
    return bool(getattr(settings, "PAGERDUTY_ROUTING_KEY", ""))


def _whatsapp_configured() -> bool:
    return bool(settings.SOPORTE_WHATSAPP_TOKEN and settings.SOPORTE_WHATSAPP_PHONE_NUMBER_ID)


def _slack_configured() -> bool:
    return bool(settings.SOPORTE_SLACK_BOT_TOKEN)


for _entry in (
    Transport("pagerduty", _pagerduty_configured, _pages, _pagerduty),
    whatsapp_transport(whatsapp.enqueue_page, configured=_whatsapp_configured),
    Transport("sms", twilio.configured, _has_mobile, _sms),
    Transport("voice", twilio.configured, _calls_back, _call),
    slack_transport(slack.enqueue_page, configured=_slack_configured),
    Transport("email", _always, _has_email, _email),
):
    register(_entry)


def short_text(subject: str, link: str) -> str:
    """``subject`` and ``link`` on one line, the subject cut so that the whole fits."""
    room = SHORT_MAX - len(link) - 1
    cut = subject if len(subject) <= room else subject[: max(room - 1, 0)] + "…"
    return f"{cut} {link}".strip()
