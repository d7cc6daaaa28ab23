"""Tickets, their messages and attachments, and the timeline of everything that happens."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent, Contact, Organisation, Plan, Tier
from soporte.tickets.domain.intake import Intake


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Portal")
    CHAT = "chat", _("In-app chat")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SLACK = "slack", _("Slack Connect")
    PHONE = "phone", _("Emergency phone line")


class Severity(models.TextChoices):
    P0 = "P0", _("P0 — Service down")
    P1 = "P1", _("P1 — Core workflow broken")
    P2 = "P2", _("P2 — Secondary feature broken")
    P3 = "P3", _("P3 — Cosmetic")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending customer")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


UNRESOLVED = [Status.NEW, Status.OPEN, Status.PENDING]


class StillHappening(models.TextChoices):
    UNKNOWN = "", _("Not said")
    YES = "yes", _("Yes, still happening")
    NO = "no", _("No, it resolved itself")


class Ticket(models.Model):
    """A customer's problem. Its ``id`` is the ticket number customers see."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    requester = models.ForeignKey(
        Contact, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="tickets"
    )
    subject = models.CharField(_("subject"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    severity = models.CharField(_("severity"), max_length=2, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    tier = models.CharField(_("tier"), max_length=2, choices=Tier.choices, default=Tier.T1)
    assignee = models.ForeignKey(
        Agent,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    # The seven intake fields (the screenshot is an attachment).
    intake_organisation_id = models.CharField(_("organisation ID given"), max_length=64, blank=True)
    intake_url = models.CharField(_("URL"), max_length=500, blank=True)
    intake_expected = models.TextField(_("what you expected"), blank=True)
    intake_actual = models.TextField(_("what happened"), blank=True)
    intake_browser_os = models.CharField(_("browser and OS"), max_length=200, blank=True)
    intake_started_at = models.CharField(
        _("when it started (time and zone)"), max_length=100, blank=True
    )
    intake_still_happening = models.CharField(
        _("still happening"), max_length=3, choices=StillHappening.choices, blank=True
    )
    completeness = models.PositiveSmallIntegerField(_("completeness (0-7)"), default=0)
    # Policy snapshot (ARCHITECTURE.md rule 3).
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices)
    policy_version = models.CharField(_("policy version"), max_length=40)
    channel_entitled = models.BooleanField(_("channel in plan"), default=True)
    opened_at = models.DateTimeField(_("received"))
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True)
    """The earliest due time of the clocks still running: what queues sort by."""
    first_replied_at = models.DateTimeField(_("first human reply"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), editable=False)
    """When anything last happened to it: set with each timeline event (``timeline.record``)."""

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # A queue part, in the queue's whole order (tickets.selectors.queue_page): read in
            # index order, stopped after one page, never sorted.
            models.Index(
                fields=["tier", "status", "next_due_at", "opened_at", "id"], name="ticket_queue"
            ),
            models.Index(
                fields=["assignee", "status", "next_due_at", "opened_at", "id"], name="ticket_mine"
            ),
            models.Index(fields=["organisation", "-opened_at"], name="ticket_org"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def number(self) -> int:
        return int(self.pk)

    @property
    def is_resolved(self) -> bool:
        return self.status in (Status.SOLVED, Status.CLOSED)

    def intake(self, *, has_screenshot: bool) -> Intake:
        """The seven intake fields as given; whether a screenshot counts is the caller's
        to say (customers do not see attachments on internal notes)."""
        return Intake(
            organisation_id=self.intake_organisation_id,
            has_screenshot=has_screenshot,
            url=self.intake_url,
            expected=self.intake_expected,
            actual=self.intake_actual,
            browser_os=self.intake_browser_os,
            started_at=self.intake_started_at,
            still_happening=self.intake_still_happening,
        )


class MessageKind(models.TextChoices):
    PUBLIC = "public", _("Public reply")
    INTERNAL = "internal", _("Internal note")


class AuthorKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")


class Message(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    author_kind = models.CharField(_("author"), max_length=10, choices=AuthorKind.choices)
    author_contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("author (contact)"),
    )
    author_agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("author (agent)")
    )
    author_tier = models.CharField(max_length=2, blank=True, verbose_name=_("author's tier"))
    """The agent's tier when they wrote it (exchange counting looks at T1 replies)."""
    body = models.TextField(_("message"))
    """Sanitised HTML."""
    quoted = models.TextField(_("quoted text"), blank=True, default="")
    """Sanitised HTML: the earlier messages an email reply quoted below ``body`` (folded on
    display)."""
    provider_scope = models.CharField(
        max_length=100, blank=True, default="", verbose_name=_("provider scope")
    )
    """Whose id ``provider_id`` is (``tickets.selectors.message_key``): the sender's
    organisation or account, or a channel's; ids are unique within a scope only."""
    provider_id = models.CharField(
        max_length=255, null=True, blank=True, verbose_name=_("provider id")
    )
    """The channel's or client's id for an inbound message (email Message-ID, an API
    ``external_id``…): a retry in the same scope never duplicates."""
    created_at = models.DateTimeField(_("sent"))
    email_message_id = models.CharField(
        max_length=255, null=True, blank=True, unique=True, verbose_name=_("email Message-ID")
    )
    """The ``Message-ID`` of the email that carried it to the customer (the thread's root is the
    acknowledgement's): the email channel threads an inbound reply on it."""

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket")]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_scope", "provider_id"], name="message_key_in_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.pk} {self.kind} by {self.author_kind}"


class Attachment(models.Model):
    """A screenshot or a recording. Served only to whoever may see the ticket."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ticket")
    )
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("message"),
    )
    file = models.FileField(upload_to="attachments/%Y/%m/", verbose_name=_("file"))
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    """Sniffed from the content, never taken from the browser."""
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class Cc(models.Model):
    """An address an agent copies on a ticket: every public email of the ticket goes ``Cc:``
    to it (``tickets.selectors.cc_addresses``)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="ccs", verbose_name=_("ticket")
    )
    address = models.EmailField(_("address"))
    """Lower-cased (``tickets.services.add_cc``): one row per address and ticket."""
    added_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("CC")
        verbose_name_plural = _("CCs")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "address"], name="cc_once_per_ticket")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} cc {self.address}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    REPLIED = "replied", _("Public reply")
    NOTED = "noted", _("Internal note")
    ACKNOWLEDGED = "acknowledged", _("Acknowledgement sent")
    INTAKE_UPDATED = "intake_updated", _("Intake completed by a reply")
    SEVERITY_CHANGED = "severity_changed", _("Severity changed")
    PLAN_CHANGED = "plan_changed", _("Plan changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    ESCALATED = "escalated", _("Escalated")
    PAGE_REQUESTED = "page_requested", _("On-call page requested")
    PAGE_OPENED = "page_opened", _("Page opened")
    PAGE_SENT = "page_sent", _("Page queued")
    PAGE_FAILED = "page_failed", _("Page not delivered")
    PAGE_SKIPPED = "page_skipped", _("Page step skipped: nobody on call")
    PAGE_ACKNOWLEDGED = "page_acknowledged", _("Page acknowledged")
    PAGE_RESOLVED = "page_resolved", _("Page resolved")
    PAGE_REPLANNED = "page_replanned", _("Page re-planned")
    CLOCK_STARTED = "clock_started", _("SLA clock started")
    CLOCK_RECOMPUTED = "clock_recomputed", _("SLA clock recomputed")
    CLOCK_FULFILLED = "clock_fulfilled", _("SLA clock fulfilled")
    CLOCK_WARNING = "clock_warning", _("SLA clock at risk")
    CLOCK_BREACHED = "clock_breached", _("SLA clock breached")
    EMAIL_FAILED = "email_failed", _("Email to the customer not delivered")
    DELIVERY_FAILED = "delivery_failed", _("Message to the customer not delivered")
    """Over a channel other than email (``data["channel"]``: ``slack``, ``sms``)."""
    CC_ADDED = "cc_added", _("CC added")
    CC_REMOVED = "cc_removed", _("CC removed")
    EMAIL_BOUNCED = "email_bounced", _("Email to the customer bounced")
    LINKED = "linked", _("Linked to another ticket")
    ORGANISATION_CHANGED = "organisation_changed", _("Organisation changed")
    SURVEY_SENT = "survey_sent", _("CSAT survey sent")
    SURVEY_SKIPPED = "survey_skipped", _("CSAT survey not sent")
    SURVEY_ANSWERED = "survey_answered", _("CSAT survey answered")
    SURVEY_VOIDED = "survey_voided", _("CSAT survey voided")
    REVIEW_REOPENED = "review_reopened", _("Weekly support review reopened by a changed answer")
    POSTMORTEM_REQUESTED = "postmortem_requested", _("Post-mortem requested")
    POSTMORTEM_DUE = "postmortem_due", _("Post-mortem due date set")
    POSTMORTEM_WRITTEN = "postmortem_written", _("Post-mortem written")
    RECURRENCE_LINKED = "recurrence_linked", _("Linked as the same problem")
    RECURRENCE_DISPOSED = "recurrence_disposed", _("Recurrence disposition set")
    ANSWERED_WITH_ARTICLE = "kb_article", _("Answered with a knowledge base article")


class TimelineEvent(models.Model):
    """Something that happened to a ticket: who, when, and the details (old/new values...)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("ticket")
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    actor_agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor (agent)")
    )
    actor_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor (contact)")
    )
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="timeline_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
