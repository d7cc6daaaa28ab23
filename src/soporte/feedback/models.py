"""The feedback loop's records: CSAT surveys (one per resolution) and their answers, the
weekly review, post-mortems with their action items, and recurrences with their wording index."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent, Contact, Language, Organisation, Plan, Tier
from soporte.feedback.domain import postmortem
from soporte.feedback.domain.dispositions import DispositionKind
from soporte.feedback.domain.review import Kind
from soporte.tickets.models import Channel, Severity, Ticket


class Answer(models.TextChoices):
    """The policy's three answers (``csat.answers``), best first."""

    UP = "up", "👍"
    NEUTRAL = "neutral", "😐"
    DOWN = "down", "👎"


class ClockOutcome(models.TextChoices):
    """A clock as it stood when the survey went out (``sla.domain.ClockStatus`` values)."""

    MET = "met", _("met")
    MISSED = "missed", _("missed (answered late)")
    BREACHED = "breached", _("breached (never answered)")
    ON_TRACK = "on_track", _("running, on track")
    AT_RISK = "at_risk", _("running, at risk")
    NONE = "", _("no clock")


class Survey(models.Model):
    """The CSAT survey of one resolution of a ticket.

    Credit is frozen when it is sent: the agent who resolved the ticket, their tier, the channel,
    the plan, the severity and both clocks' outcomes, so a later reassignment moves nothing.
    A reopen voids a survey that has no answer yet; the next resolution sends a new one.
    """

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("ticket")
    )
    resolved_at = models.DateTimeField(_("resolved"))
    """The resolution this survey is about (the ticket's ``solved_at`` then)."""
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("contact")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("organisation"),
    )
    sent_at = models.DateTimeField(_("sent"))
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    agent = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("credited agent"),
    )
    tier = models.CharField(_("tier"), max_length=2, choices=Tier.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices)
    severity = models.CharField(_("severity"), max_length=2, choices=Severity.choices)
    first_response = models.CharField(
        _("first response (SLA)"), max_length=10, choices=ClockOutcome.choices, blank=True
    )
    channel_response = models.CharField(
        _("channel target"), max_length=10, choices=ClockOutcome.choices, blank=True
    )
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    """When the customer first answered: the review week it belongs to."""
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("CSAT survey")
        verbose_name_plural = _("CSAT surveys")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "resolved_at"], name="one_survey_per_resolution"
            )
        ]
        indexes = [
            models.Index(fields=["contact", "sent_at"], name="survey_contact_sent"),
            models.Index(fields=["answered_at"], name="survey_answered"),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.sent_at:%Y-%m-%d} {self.answer or '-'}"


class ReviewWeek(models.Model):
    """A week of the weekly support review that someone acted on (a week with no row is open).

    ``week`` is its ISO label in the review zone (``2026-W49``). Closed when ``closed_at`` is
    set; an answer that adds an item without a disposition reopens it (``reopened_at``).
    """

    week = models.CharField(_("ISO week"), max_length=8, unique=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)

    class Meta:
        verbose_name = _("review week")
        verbose_name_plural = _("review weeks")
        ordering = ["-week"]

    def __str__(self) -> str:
        return self.week

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ReviewDispositionKind(models.TextChoices):
    KB_ARTICLE = Kind.KB_ARTICLE.value, _("KB article")
    PRODUCT_FIX = Kind.PRODUCT_FIX.value, _("Product fix")
    COACHING = Kind.COACHING.value, _("Coaching")
    NO_ACTION = Kind.NO_ACTION.value, _("No action")


class ReviewDisposition(models.Model):
    """What the weekly review decided about one item (a survey answered below the best)."""

    survey = models.OneToOneField(
        Survey, on_delete=models.CASCADE, related_name="disposition", verbose_name=_("survey")
    )
    kind = models.CharField(_("disposition"), max_length=20, choices=ReviewDispositionKind.choices)
    link = models.URLField(_("link"), max_length=500, blank=True)
    note = models.TextField(_("coaching note"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("review disposition")
        verbose_name_plural = _("review dispositions")

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.kind}"


class PostMortemStatus(models.TextChoices):
    """``feedback.domain.postmortem.Status``, labelled."""

    REQUESTED = postmortem.Status.REQUESTED.value, _("Requested")
    DRAFT = postmortem.Status.DRAFT.value, _("Draft")
    WRITTEN = postmortem.Status.WRITTEN.value, _("Written")


class PostMortemReason(models.TextChoices):
    """``feedback.domain.postmortem.Reason``, labelled."""

    P0 = postmortem.Reason.P0.value, _("A P0")
    FOUNDER_PAGE = postmortem.Reason.FOUNDER_PAGE.value, _("A page reached the founder and the CTO")


class PostMortem(models.Model):
    """The post-mortem T3 writes of one ticket (``feedback.domain.postmortem``): requested when
    the ticket is a P0 or its page reaches the founder and the CTO, due ``due_business_days``
    after the ticket's resolution (``due_at`` moves when it is re-resolved)."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="postmortem", verbose_name=_("ticket")
    )
    reason = models.CharField(_("requested for"), max_length=20, choices=PostMortemReason.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PostMortemStatus.choices,
        default=PostMortemStatus.REQUESTED,
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.SPANISH,
    )
    impact = models.TextField(_("impact"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    requested_at = models.DateTimeField(_("requested"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    """Set when the ticket is resolved (``None`` before)."""
    author = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postmortems",
        verbose_name=_("author"),
    )
    updated_at = models.DateTimeField(_("updated"))
    written_at = models.DateTimeField(_("written"), null=True, blank=True)

    class Meta:
        verbose_name = _("post-mortem")
        verbose_name_plural = _("post-mortems")
        ordering = ["due_at", "requested_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="postmortem_status_due")]

    def __str__(self) -> str:
        return f"post-mortem #{self.ticket_id} ({self.status})"


class ActionItem(models.Model):
    """Something to do so that the problem does not come back, linked to its product fix (an
    issue or pull request): what a recurrence of the problem may take as its disposition."""

    postmortem = models.ForeignKey(
        PostMortem,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("post-mortem"),
    )
    text = models.CharField(_("action"), max_length=500)
    fix_url = models.URLField(_("product fix (link)"), max_length=500)
    owner = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    done = models.BooleanField(_("done"), default=False)
    created_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class DispositionChoice(models.TextChoices):
    KB_ARTICLE = DispositionKind.KB_ARTICLE.value, _("KB article")
    PRODUCT_FIX = DispositionKind.PRODUCT_FIX.value, _("Product fix")
    NO_ACTION = DispositionKind.NO_ACTION.value, _("No action")


class Recurrence(models.Model):
    """One problem that happened more than once: its tickets (``members``) and, once someone
    decides, its disposition (a KB article or a product fix with its link, or no action with
    the reason). Without a disposition it is open: it shows in the console's list and in the
    weekly review."""

    created_at = models.DateTimeField(_("linked"))
    created_by = models.ForeignKey(
        Agent,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked by"),
    )
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=DispositionChoice.choices, blank=True
    )
    """Blank while open."""
    link = models.URLField(_("link"), max_length=500, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    disposed_by = models.ForeignKey(
        Agent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("disposed by"),
    )
    disposed_at = models.DateTimeField(_("disposed"), null=True, blank=True)

    class Meta:
        verbose_name = _("recurrence")
        verbose_name_plural = _("recurrences")
        indexes = [models.Index(fields=["disposition", "created_at"], name="recurrence_open")]

    def __str__(self) -> str:
        return f"recurrence {self.pk}"

    @property
    def is_open(self) -> bool:
        return not self.disposition


class RecurrenceMember(models.Model):
    """A ticket of a recurrence: a ticket is part of at most one."""

    recurrence = models.ForeignKey(
        Recurrence, on_delete=models.CASCADE, related_name="members", verbose_name=_("recurrence")
    )
    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="recurrence_member", verbose_name=_("ticket")
    )
    linked_by = models.ForeignKey(
        Agent,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked by"),
    )
    linked_at = models.DateTimeField(_("linked"))

    class Meta:
        verbose_name = _("recurrence ticket")
        verbose_name_plural = _("recurrence tickets")
        ordering = ["ticket__opened_at", "ticket_id"]

    def __str__(self) -> str:
        return f"recurrence {self.recurrence_id}: #{self.ticket_id}"


class TicketWording(models.Model):
    """A ticket's entry in the similar-ticket index: the stems of its subject and first
    message (``feedback.domain.wording.terms``) with its month token, and its folded words
    for the reranking. SQLite indexes ``terms`` in an FTS5 table kept in step by triggers,
    PostgreSQL in a GIN index over a generated ``tsvector`` (migration ``0002``)."""

    ticket = models.OneToOneField(
        Ticket,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="wording",
        verbose_name=_("ticket"),
    )
    opened_at = models.DateTimeField(_("received"))
    terms = models.TextField(_("terms"))
    words = models.TextField(_("words"))

    class Meta:
        verbose_name = _("ticket wording")
        verbose_name_plural = _("ticket wordings")

    def __str__(self) -> str:
        return f"#{self.ticket_id}: {self.terms[:60]}"
