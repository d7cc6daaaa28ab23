"""Who is who: organisations and their contacts (customers), and agents (tier and role)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from soporte import phones


def email_is(address: str, field: str = "user__email") -> Exact[str]:
    """A filter: the person's address (``field``) is ``address``, whatever its case. It compares
    lower-cased addresses, which the ``auth_user_email_lower`` index holds (Django's ``iexact``
    reads every account on SQLite)."""
    return Exact(Lower(field), address.strip().lower())


class Plan(models.TextChoices):
    """Codes of the policy's plans (the policy file defines their targets)."""

    STARTER = "starter", "Starter"
    PRO = "pro", "Pro"
    ENTERPRISE = "enterprise", "Enterprise"


class Language(models.TextChoices):
    SPANISH = "es", "Español"
    ENGLISH = "en", "English"


def language_of_code(code: str | None) -> str:
    """The :class:`Language` a UI language code stands for: English for any ``en`` code
    (``en``, ``en-US``), Spanish for anything else (``es-mx``, ``fr``, empty)."""
    english = (code or "").lower().startswith("en")
    return (Language.ENGLISH if english else Language.SPANISH).value


class Organisation(models.Model):
    """A customer company. Its ``id`` is the organisation ID customers see in Settings → Account."""

    id = models.UUIDField(
        _("organisation ID"), primary_key=True, default=uuid.uuid4, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices, default=Plan.STARTER)
    locale = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.SPANISH
    )
    csm = models.ForeignKey(
        "accounts.Agent",
        verbose_name=_("customer success manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_organisations",
    )
    unidentified = models.BooleanField(_("unidentified senders' place"), default=False)
    """The one organisation that holds senders no contact or email domain identifies (READING.md
    §9): their tickets wait there, on its Starter plan, until an agent links them."""
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unidentified"],
                condition=models.Q(unidentified=True),
                name="one_unidentified_place",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EmailDomain(models.Model):
    """An email domain of an organisation: a sender from it becomes a contact there."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="email_domains",
    )
    domain = models.CharField(_("email domain"), max_length=253, unique=True)
    """Lower-case, without ``@`` (``vending.example``): one organisation per domain."""

    class Meta:
        verbose_name = _("email domain")
        verbose_name_plural = _("email domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class Contact(models.Model):
    """A customer person; signs in to the portal and sees only their organisation's tickets."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact",
        verbose_name=_("user account"),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_e164 = models.CharField(_("phone (E.164)"), max_length=20, blank=True, db_index=True)
    """``phone`` in its canonical form (``soporte.phones.e164``; empty when it is not a valid
    number): how WhatsApp and the emergency line find the contact. Kept by ``save``."""
    locale = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.SPANISH
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Mexico_City")
    bounced_at = models.DateTimeField(_("email bounced"), null=True, blank=True)
    """When mail we sent to the contact's address last bounced (None: it is not bouncing)."""
    bounce_reason = models.CharField(_("bounce reason"), max_length=500, blank=True)
    surveys_opted_out = models.BooleanField(
        _("no satisfaction surveys"),
        default=False,
        help_text=_("The contact asked not to receive satisfaction (CSAT) surveys."),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_e164 = phones.e164(self.phone) or ""
        fields = kwargs.get("update_fields")
        if fields is not None and "phone" in fields:
            kwargs["update_fields"] = {*fields, "phone_e164"}
        super().save(*args, **kwargs)

    @property
    def email(self) -> str:
        return self.user.email


class Tier(models.TextChoices):
    T1 = "T1", _("T1 — Front line")
    T2 = "T2", _("T2 — Technical support")
    T3 = "T3", _("T3 — Engineering on-call")


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    LEAD = "lead", _("Lead")
    FOUNDER = "founder", _("Founder")
    CTO = "cto", _("CTO")
    ADMIN = "admin", _("Administrator")


class NoticeChannel(models.TextChoices):
    """How a CSM hears of their organisations' P0 and P1 tickets (besides the console)."""

    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SLACK = "slack", _("Slack")
    SMS = "sms", _("SMS")


SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def validate_phone(value: str) -> None:
    """A phone number soporte can call or text (``soporte.phones.e164`` reads it)."""
    if value and phones.e164(value) is None:
        raise ValidationError(
            _("%(value)s is not a phone number: write it with its country code, e.g. %(example)s."),
            params={"value": value, "example": "+52 81 2698 2507"},
            code="phone",
        )


def validate_slack_user_id(value: str) -> None:
    if value and not SLACK_USER_ID.match(value):
        raise ValidationError(
            _(
                "%(value)s is not a Slack member ID: it starts with U or W, e.g. U024BE7LH "
                "(in Slack: your profile, ⋮, Copy member ID)."
            ),
            params={"value": value},
            code="slack_user_id",
        )


class AgentKind(models.TextChoices):
    HUMAN = "human", _("Human")
    INTEGRATION = "integration", _("Integration (bot)")


class Agent(models.Model):
    """A member of the support team: answers at a tier; leads, founder, CTO and admins see all.

    An integration's account (a bot using the API) is an agent of kind ``integration``: its
    public replies reach the customer but never fulfil a first-response clock (READING.md §9).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agent",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=200)
    tier = models.CharField(_("tier"), max_length=2, choices=Tier.choices, default=Tier.T1)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AGENT)
    kind = models.CharField(
        _("kind"), max_length=12, choices=AgentKind.choices, default=AgentKind.HUMAN
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text=_("For pages by SMS and phone call, with its country code."),
    )
    """Kept in E.164 (``save``) when it is a valid number."""
    whatsapp = models.CharField(
        _("WhatsApp number"), max_length=40, blank=True, validators=[validate_phone]
    )
    slack_user_id = models.CharField(
        _("Slack member ID"), max_length=24, blank=True, validators=[validate_slack_user_id]
    )
    notice_channel = models.CharField(
        _("CSM notices by"),
        max_length=10,
        choices=NoticeChannel.choices,
        default=NoticeChannel.EMAIL,
        help_text=_("How you hear of your organisations' P0 and P1 tickets, as their CSM."),
    )
    locale = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.SPANISH
    )

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["tier", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.tier})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone = phones.e164(self.phone) or self.phone
        self.whatsapp = phones.e164(self.whatsapp) or self.whatsapp
        super().save(*args, **kwargs)

    @property
    def mobile(self) -> str | None:
        """The agent's mobile in E.164, if they gave a valid one."""
        return phones.e164(self.phone) if self.phone else None

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_human(self) -> bool:
        return self.kind == AgentKind.HUMAN

    @property
    def sees_every_queue(self) -> bool:
        return self.role != Role.AGENT


TIERS = [Tier.T1, Tier.T2, Tier.T3]


class ApiToken(models.Model):
    """A bearer token for the REST API, for an agent or an integration; only its hash is kept."""

    name = models.CharField(_("name"), max_length=100)
    agent = models.ForeignKey(
        Agent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    prefix = models.CharField(max_length=12, unique=True, editable=False, verbose_name=_("prefix"))
    digest = models.CharField(max_length=64, editable=False, verbose_name=_("digest"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInAttempt(models.Model):
    """A failed password sign-in or a requested sign-in link, kept for throttling.

    Stored in the database so that every web process (gunicorn workers, several machines)
    counts the same attempts. Rows older than a day are pruned as new ones are written.
    """

    class Kind(models.TextChoices):
        PASSWORD_FAILED = "password", _("Wrong password")
        LINK_REQUESTED = "link", _("Sign-in link requested")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    email = models.CharField(_("email"), max_length=254)
    """As typed, lower-cased: also addresses that belong to nobody."""
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        indexes = (
            models.Index(fields=["kind", "email", "ip", "at"], name="signin_throttle"),
            models.Index(fields=["at"], name="signin_prune"),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.email} {self.ip} {self.at:%Y-%m-%d %H:%M}"
