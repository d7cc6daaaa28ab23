"""The pinned FAQs' services: count a week's T1 questions, apply the rule (``kb.domain.faq``),
and what leads do (accept or reject a proposal, pin by hand, unpin, reorder). Every change is a
``PinChange`` with the weeks that triggered it; ``now`` is always a parameter.

With ``kb.faq_auto_pin`` the rule pins an answered question at once; a question of similar
tickets has no article yet, so it is proposed even then (a lead chooses or writes its article).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q

from soporte.accounts.models import Agent
from soporte.feedback.domain.weeks import Week, span, week_of
from soporte.feedback.review_selectors import zone
from soporte.kb import questions
from soporte.kb.domain import faq as rule
from soporte.kb.models import (
    Article,
    AskedQuestion,
    ChangeKind,
    PinChange,
    PinnedFaq,
    PinProposal,
    ProposalStatus,
    QuestionWeek,
    Status,
)
from soporte.kb.selectors import translation
from soporte.policy import default_policy

HISTORY = 26
"""How many weeks back the rule reads (for a question's first week seen): about the similar
tickets' 180 days."""


class FaqError(ValueError):
    """A refused change, naming the field at fault (``lead``, ``proposal``, ``article``,
    ``reason``, ``pin``, ``week``) and why (``code``: the field, unless the field has several
    refusals)."""

    def __init__(self, field: str, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.code = code or field


def count_week(*, week: Week, now: datetime) -> int:
    """Count the questions of the tickets solved at T1 in ``week`` (a week that has ended);
    a recount replaces the week's count. Returns how many tickets it counted."""
    _ended(week, now)
    label = str(week)
    with transaction.atomic():
        solved = questions.solved_at_t1(week).values("pk")
        AskedQuestion.objects.filter(Q(week=label) | Q(ticket__in=solved)).delete()
        QuestionWeek.objects.filter(week=label).delete()
        asked = questions.asked_in(week)
        AskedQuestion.objects.bulk_create(
            AskedQuestion(ticket_id=a.ticket, week=label, language=a.language, question=a.question)
            for a in asked
        )
        groups: dict[tuple[str, str], list[questions.Asked]] = defaultdict(list)
        for a in asked:
            groups[a.language, a.question].append(a)
        QuestionWeek.objects.bulk_create(
            QuestionWeek(
                language=language,
                question=question,
                week=label,
                tickets=len(members),
                article_id=members[0].article,
                sample_id=members[0].ticket,
            )
            for (language, question), members in groups.items()
        )
    return len(asked)


def apply_rule(*, week: Week, now: datetime) -> list[PinChange]:
    """Apply the rule for the week just ended in every locale: move the pins' last-seen weeks,
    propose (or pin) the questions with a full streak. Applying it again changes nothing."""
    _ended(week, now)
    with transaction.atomic():
        return [c for language in default_policy().kb.locales for c in _apply(language, week, now)]


def _apply(language: str, week: Week, now: datetime) -> list[PinChange]:
    kb = default_policy().kb
    pins = list(
        PinnedFaq.objects.select_for_update(of=("self",))
        .select_related("article")
        .filter(language=language)
    )
    outcome = rule.decide(
        week=week,
        seen=_seen(language, week),
        pins=[_domain_pin(p) for p in pins],
        pending=[
            rule.Pending(q, None if r is None else str(r))
            for q, r in PinProposal.objects.filter(
                language=language, status=ProposalStatus.PENDING
            ).values_list("question", "replaces_id")
        ],
        rejected=_rejected(language),
        streak=kb.faq_streak_weeks,
        capacity=kb.pinned_faqs,
    )
    by_key = {str(p.pk): p for p in pins}
    for key, seen in outcome.last_seen.items():
        pin = by_key[key]
        if seen is not None and pin.last_seen_week != str(seen):
            pin.last_seen_week = str(seen)
            pin.save(update_fields=["last_seen_week"])
    changes = []
    for decision in outcome.decisions:
        replaced = by_key.get(decision.replaces or "")
        source = _source(language, decision.question)
        article = translation(source, language) if source is not None else None
        weeks = [str(w) for w in decision.weeks]
        if kb.faq_auto_pin and article is not None:
            changes.append(
                _pin(language, article, decision.question, replaced, weeks, week, None, None, now)
            )
            continue
        shown = article or source  # the question's article as the locale's readers see it
        proposal = PinProposal.objects.create(
            language=language,
            question=decision.question,
            article=shown,
            week=str(week),
            weeks=weeks,
            tickets=decision.tickets,
            replaces=replaced,
            created_at=now,
        )
        changes.append(
            _log(
                ChangeKind.PROPOSED,
                language=language,
                question=decision.question,
                by=None,
                now=now,
                article=shown,
                replaced=replaced,
                proposal=proposal,
            )
        )
    return changes


def accept(
    *, proposal: PinProposal, lead: Agent, article: Article | None = None, now: datetime
) -> PinChange:
    """Pin the proposal's question: its article in the proposal's language, or ``article`` (a
    published article in that language: a question of similar tickets needs one)."""
    _lead(lead)
    with transaction.atomic():
        proposal = _pending(proposal)
        language = proposal.language
        chosen = article
        if chosen is None and proposal.article is not None:
            chosen = translation(proposal.article, language)
        if chosen is None or chosen.language != language or chosen.status != Status.PUBLISHED:
            raise FaqError("article", "choose a published article in the proposal's language")
        pins = list(
            PinnedFaq.objects.select_for_update(of=("self",))
            .select_related("article")
            .filter(language=language)
        )
        if any(p.article_id == chosen.pk for p in pins):
            raise FaqError("article", "that article is already pinned", code="pinned")
        replaced = next((p for p in pins if p.pk == proposal.replaces_id), None)
        if replaced is None and len(pins) >= default_policy().kb.pinned_faqs:
            key = rule.seen_least_recently([_domain_pin(p) for p in pins])[0].key
            replaced = next(p for p in pins if str(p.pk) == key)
        change = _pin(
            language,
            chosen,
            proposal.question,
            replaced,
            proposal.weeks,
            Week.parse(proposal.week),
            proposal,
            lead,
            now,
        )
        _decide(proposal, ProposalStatus.ACCEPTED, lead, "", now)
    return change


def reject(*, proposal: PinProposal, lead: Agent, reason: str, now: datetime) -> PinChange:
    """Turn the proposal down, saying why; the question may come back after a new full streak
    that starts after this week."""
    _lead(lead)
    if not reason.strip():
        raise FaqError("reason", "say why the proposal is rejected")
    with transaction.atomic():
        proposal = _pending(proposal)
        _decide(proposal, ProposalStatus.REJECTED, lead, reason.strip(), now)
        return _log(
            ChangeKind.REJECTED,
            language=proposal.language,
            question=proposal.question,
            by=lead,
            now=now,
            article=proposal.article,
            proposal=proposal,
            note=proposal.reason,
        )


def unpin(*, pin: PinnedFaq, lead: Agent, now: datetime) -> PinChange:
    """Take a FAQ off the pinned list; its place is free for the next proposal."""
    _lead(lead)
    with transaction.atomic():
        locked = PinnedFaq.objects.select_for_update().select_related("article")
        found = locked.filter(pk=pin.pk).first()
        if found is None:
            raise FaqError("pin", "that FAQ is no longer pinned")
        pin = found
        pin.delete()
        return _log(
            ChangeKind.UNPINNED,
            language=pin.language,
            question=pin.question,
            by=lead,
            now=now,
            article=pin.article,
        )


def pin(*, article: Article, lead: Agent, place: int, now: datetime) -> PinChange:
    """Pin a published article by hand at ``place`` (1: the top; past the end: the end) of its
    language's list, the pins from there moving down one. Refused when it is already pinned or
    the list holds ``kb.pinned_faqs`` pins. Its last week seen is its question's latest week
    counted, so the rule replaces it as it would any pin of that question."""
    _lead(lead)
    language = article.language
    with transaction.atomic():
        pins = list(PinnedFaq.objects.select_for_update().filter(language=language))
        if not Article.objects.filter(pk=article.pk, status=Status.PUBLISHED).exists():
            raise FaqError("article", "only a published article is pinned", code="published")
        if any(p.article_id == article.pk for p in pins):
            raise FaqError("article", "that article is already pinned", code="pinned")
        capacity = default_policy().kb.pinned_faqs
        if len(pins) >= capacity:
            raise FaqError("pin", f"{capacity} FAQs are pinned already", code="full")
        question = f"article:{article.source_id or article.pk}"
        seen = QuestionWeek.objects.filter(language=language, question=question)
        added = PinnedFaq(
            language=language,
            article=article,
            pinned_at=now,
            last_seen_week=seen.aggregate(last=Max("week"))["last"] or "",
        )
        index = max(0, min(len(pins), place - 1))
        pins.insert(index, added)
        _number(pins)
        return _log(
            ChangeKind.PINNED,
            language=language,
            question="",
            by=lead,
            now=now,
            article=article,
            note=str(index + 1),
        )


def move(*, pin: PinnedFaq, lead: Agent, step: int, now: datetime) -> PinChange:
    """Move a FAQ ``step`` places down the list (up when negative), within the list."""
    _lead(lead)
    with transaction.atomic():
        pins = list(PinnedFaq.objects.select_for_update().filter(language=pin.language))
        index = next((i for i, p in enumerate(pins) if p.pk == pin.pk), None)
        if index is None:
            raise FaqError("pin", "that FAQ is no longer pinned")
        moved = pins.pop(index)
        pins.insert(max(0, min(len(pins), index + step)), moved)
        _number(pins)
        return _log(
            ChangeKind.REORDERED,
            language=moved.language,
            question=moved.question,
            by=lead,
            now=now,
            article=moved.article,
            note=str(pins.index(moved) + 1),
        )


# ----------------------------------------------------------------------- internals


def _number(pins: list[PinnedFaq]) -> None:
    """Save each pin's place in the list order (a new pin is created)."""
    for position, p in enumerate(pins):
        if p.pk is None:
            p.position = position
            p.save()
        elif p.position != position:
            p.position = position
            p.save(update_fields=["position"])


def _ended(week: Week, now: datetime) -> None:
    if span(week, zone())[1] > now:
        raise FaqError("week", f"week {week} has not ended yet")


def _lead(lead: Agent) -> None:
    if not lead.sees_every_queue:
        raise FaqError("lead", "only leads, the founder, the CTO and admins manage pinned FAQs")


def _pending(proposal: PinProposal) -> PinProposal:
    locked = PinProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise FaqError("proposal", "this proposal was already decided")
    return locked


def _decide(proposal: PinProposal, status: str, lead: Agent, reason: str, now: datetime) -> None:
    proposal.status = status
    proposal.decided_by = lead
    proposal.decided_at = now
    proposal.reason = reason
    proposal.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def _seen(language: str, week: Week) -> dict[str, dict[Week, int]]:
    labels = [str(week.shifted(-back)) for back in range(HISTORY)]
    rows = QuestionWeek.objects.filter(language=language, week__in=labels)
    seen: dict[str, dict[Week, int]] = defaultdict(dict)
    for question, label, tickets in rows.values_list("question", "week", "tickets"):
        seen[question][Week.parse(label)] = tickets
    return seen


def _rejected(language: str) -> dict[str, Week]:
    rows = PinProposal.objects.filter(language=language, status=ProposalStatus.REJECTED)
    latest = rows.values("question").annotate(at=Max("decided_at"))
    place = zone()
    return {row["question"]: week_of(row["at"], place) for row in latest}


def _domain_pin(pin: PinnedFaq) -> rule.Pin:
    """A pin answers the question it was pinned for and its article's question."""
    source = pin.article.source_id or pin.article_id
    keys = {f"article:{source}"} | ({pin.question} if pin.question else set())
    last = Week.parse(pin.last_seen_week) if pin.last_seen_week else None
    return rule.Pin(str(pin.pk), frozenset(keys), pin.pinned_at, pin.position, last)


def _source(language: str, question: str) -> Article | None:
    """The source article of an answered question (``None`` for a question of tickets)."""
    kind, _, number = question.partition(":")
    if kind != "article":
        return None
    return Article.objects.filter(pk=int(number)).first()


def _pin(
    language: str,
    article: Article,
    question: str,
    replaced: PinnedFaq | None,
    weeks: list[str],
    week: Week,
    proposal: PinProposal | None,
    by: Agent | None,
    now: datetime,
) -> PinChange:
    """Pin ``article`` in ``replaced``'s place (deleted) or after the last pin."""
    if replaced is not None:
        position = replaced.position
        replaced.delete()
    else:
        last = PinnedFaq.objects.filter(language=language).aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    PinnedFaq.objects.create(
        language=language,
        article=article,
        question=question,
        pinned_at=now,
        last_seen_week=str(week),
        position=position,
    )
    return _log(
        ChangeKind.PINNED if replaced is None else ChangeKind.REPLACED,
        language=language,
        question=question,
        by=by,
        now=now,
        article=article,
        replaced=replaced,
        weeks=weeks,
        proposal=proposal,
    )


def _log(
    kind: str,
    *,
    language: str,
    question: str,
    by: Agent | None,
    now: datetime,
    article: Article | None = None,
    replaced: PinnedFaq | None = None,
    weeks: list[str] | None = None,
    proposal: PinProposal | None = None,
    note: str = "",
) -> PinChange:
    """Record a change with the weeks that triggered it (by default its proposal's)."""
    return PinChange.objects.create(
        language=language,
        kind=kind,
        article=article,
        replaced=replaced.article if replaced is not None else None,
        question=question,
        weeks=weeks if weeks is not None else (proposal.weeks if proposal is not None else []),
        proposal=proposal,
        by=by,
        at=now,
        note=note,
    )
