"""The pinned FAQs' services: a streak becomes a proposal, a lead accepts it and the article
heads ``/kb/``; rejection; the automatic mode; the weekly job runs once per week."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from faq_helpers import MONDAY_W47, article, english_contact, solved

from soporte.feedback.domain.weeks import Week
from soporte.jobs.models import Job
from soporte.kb import faq, faq_week
from soporte.kb.models import ChangeKind, PinChange, PinnedFaq, PinProposal, ProposalStatus
from soporte.kb.selectors import pinned
from soporte.policy import default_policy

W49 = Week(2026, 49)
AFTER = MONDAY_W47 + timedelta(weeks=3, hours=9)


def three_weeks(world: Any, answer: Any = None, **kw: Any) -> None:
    """The same question asked in 2026-W47, W48 and W49, then counted and the rule applied."""
    for week in range(3):
        solved(world, MONDAY_W47 + timedelta(weeks=week, days=1), article=answer, **kw)
        faq.count_week(week=W49.shifted(week - 2), now=AFTER)


def test_a_streak_is_proposed_accepted_and_heads_the_kb(world: Any, client: Client) -> None:
    answer = article("ventas-en-cero")
    three_weeks(world, answer)
    changes = faq.apply_rule(week=W49, now=AFTER)
    proposal = PinProposal.objects.get()
    assert [c.kind for c in changes] == [ChangeKind.PROPOSED]
    assert proposal.weeks == ["2026-W47", "2026-W48", "2026-W49"]
    assert (proposal.tickets, proposal.replaces) == (3, None)
    assert faq.apply_rule(week=W49, now=AFTER) == []  # again: nothing new
    change = faq.accept(proposal=proposal, lead=world.agents["lead1"], now=AFTER)
    assert (change.kind, change.weeks, change.by) == (
        ChangeKind.PINNED,
        proposal.weeks,
        world.agents["lead1"],
    )
    assert pinned("es") == [answer]
    assert PinnedFaq.objects.get().last_seen_week == "2026-W49"
    assert "Ventas en cero" in client.get("/kb/").content.decode()


def test_a_full_list_replaces_the_pin_seen_least_recently(world: Any) -> None:
    old = article("viejo")
    recent = article("reciente")
    PinnedFaq.objects.create(
        language="es", article=old, pinned_at=AFTER, last_seen_week="2026-W30", position=0
    )
    PinnedFaq.objects.create(
        language="es", article=recent, pinned_at=AFTER, last_seen_week="2026-W45", position=1
    )
    policy = default_policy()
    small = replace(policy, kb=replace(policy.kb, pinned_faqs=2))
    answer = article("ventas-en-cero")
    three_weeks(world, answer)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("soporte.kb.faq.default_policy", lambda: small)
        faq.apply_rule(week=W49, now=AFTER)
        proposal = PinProposal.objects.get()
        assert proposal.replaces is not None
        assert proposal.replaces.article == old
        change = faq.accept(proposal=proposal, lead=world.agents["lead2"], now=AFTER)
    assert (change.kind, change.replaced) == (ChangeKind.REPLACED, old)
    assert pinned("es") == [answer, recent]


def test_a_question_of_tickets_needs_the_lead_to_choose_an_article(world: Any) -> None:
    three_weeks(world)
    faq.apply_rule(week=W49, now=AFTER)
    proposal = PinProposal.objects.get()
    assert proposal.article is None
    assert proposal.question.startswith("ticket:")
    with pytest.raises(faq.FaqError) as refused:
        faq.accept(proposal=proposal, lead=world.agents["lead1"], now=AFTER)
    assert refused.value.field == "article"
    english = article("sales-zero", language="en")
    with pytest.raises(faq.FaqError):
        faq.accept(proposal=proposal, lead=world.agents["lead1"], article=english, now=AFTER)
    chosen = article("ventas-en-cero")
    faq.accept(proposal=proposal, lead=world.agents["lead1"], article=chosen, now=AFTER)
    assert PinnedFaq.objects.get().question == proposal.question


def test_only_leads_decide_and_a_proposal_is_decided_once(world: Any) -> None:
    three_weeks(world, article("ventas-en-cero"))
    faq.apply_rule(week=W49, now=AFTER)
    proposal = PinProposal.objects.get()
    with pytest.raises(faq.FaqError) as refused:
        faq.reject(proposal=proposal, lead=world.agents["t1"], reason="no", now=AFTER)
    assert refused.value.field == "lead"
    with pytest.raises(faq.FaqError) as empty:
        faq.reject(proposal=proposal, lead=world.agents["admin"], reason="  ", now=AFTER)
    assert empty.value.field == "reason"
    faq.reject(proposal=proposal, lead=world.agents["admin"], reason="temporal", now=AFTER)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason) == (ProposalStatus.REJECTED, "temporal")
    with pytest.raises(faq.FaqError) as twice:
        faq.accept(proposal=proposal, lead=world.agents["admin"], now=AFTER)
    assert twice.value.field == "proposal"


def test_a_rejected_question_comes_back_after_a_new_full_streak(world: Any) -> None:
    answer = article("ventas-en-cero")
    three_weeks(world, answer)
    faq.apply_rule(week=W49, now=AFTER)
    faq.reject(
        proposal=PinProposal.objects.get(), lead=world.agents["lead1"], reason="x", now=AFTER
    )
    # rejected in W50; seen in W50, W51, W52: not yet (W50 is the rejection's week); W53 too: yes
    for back in range(1, 5):
        week = W49.shifted(back)
        solved(world, MONDAY_W47 + timedelta(weeks=2 + back, days=1), article=answer)
        now = MONDAY_W47 + timedelta(weeks=3 + back, hours=9)
        faq.count_week(week=week, now=now)
        faq.apply_rule(week=week, now=now)
        pending = PinProposal.objects.filter(status=ProposalStatus.PENDING)
        assert [p.week for p in pending] == (["2026-W53"] if back == 4 else [])


def test_automatic_pinning_when_the_policy_says_so(world: Any) -> None:
    policy = default_policy()
    auto = replace(policy, kb=replace(policy.kb, faq_auto_pin=True))
    answer = article("ventas-en-cero")
    three_weeks(world, answer)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("soporte.kb.faq.default_policy", lambda: auto)
        changes = faq.apply_rule(week=W49, now=AFTER)
    assert [(c.kind, c.by, c.weeks) for c in changes] == [
        (ChangeKind.PINNED, None, ["2026-W47", "2026-W48", "2026-W49"])
    ]
    assert pinned("es") == [answer]
    assert not PinProposal.objects.exists()


def test_unpin_and_move_are_logged(world: Any) -> None:
    pins = [
        PinnedFaq.objects.create(language="es", article=article(s), pinned_at=AFTER, position=i)
        for i, s in enumerate(["uno", "dos", "tres"])
    ]
    lead = world.agents["lead3"]
    faq.move(pin=pins[2], lead=lead, step=-1, now=AFTER)
    assert [a.slug for a in pinned("es")] == ["uno", "tres", "dos"]
    faq.unpin(pin=pins[0], lead=lead, now=AFTER)
    assert [a.slug for a in pinned("es")] == ["tres", "dos"]
    kinds = list(PinChange.objects.values_list("kind", flat=True))
    assert kinds == [ChangeKind.UNPINNED, ChangeKind.REORDERED]


def test_the_weekly_job_counts_and_applies_the_rule_once(world: Any) -> None:
    answer = article("ventas-en-cero")
    for week in range(3):
        solved(world, MONDAY_W47 + timedelta(weeks=week, days=1), article=answer)
    started = Job.objects.get(kind=faq_week.FAQ_WEEK)
    assert started.key == "kb.faq:2026-W47"  # the first ticket started the chain
    faq_week.run(started, now=AFTER)
    faq_week.run(Job.objects.get(key="kb.faq:2026-W48"), now=AFTER)
    assert not PinProposal.objects.exists()  # two weeks counted: too early
    job = faq_week.ensure_scheduled(now=AFTER)
    assert job is not None
    assert job.key == "kb.faq:2026-W49"
    faq_week.run(job, now=AFTER)
    faq_week.run(job, now=AFTER)  # a second run changes nothing
    assert PinProposal.objects.count() == 1
    assert PinChange.objects.filter(kind=ChangeKind.PROPOSED).count() == 1
    following = Job.objects.get(key="kb.faq:2026-W50")
    assert following.due_at == MONDAY_W47 + timedelta(weeks=4, hours=9)


def test_an_english_proposal_names_the_english_article(world: Any) -> None:
    source = article("ventas-en-cero")
    english = article("sales-at-zero", language="en", source=source)
    three_weeks(world, english, contact=english_contact(world))
    faq.apply_rule(week=W49, now=AFTER)
    proposal = PinProposal.objects.get()
    assert (proposal.language, proposal.article) == ("en", english)
    faq.accept(proposal=proposal, lead=world.agents["lead1"], now=AFTER)
    assert pinned("en") == [english]


def test_the_weekly_chain_waits_for_the_first_ticket(world: Any) -> None:
    assert faq_week.ensure_scheduled(now=AFTER) is None
    assert not Job.objects.filter(kind=faq_week.FAQ_WEEK).exists()
    solved(world, MONDAY_W47 + timedelta(days=1))
    assert faq_week.ensure_scheduled(now=AFTER) is not None


def test_a_lead_pins_an_article_by_hand_at_a_place(world: Any) -> None:
    uno, dos = (article(s) for s in ["uno", "dos"])
    for i, pinned_article in enumerate([uno, dos]):
        PinnedFaq.objects.create(language="es", article=pinned_article, pinned_at=AFTER, position=i)
    answer = article("ventas-en-cero")
    three_weeks(world, answer)  # its question was last counted in 2026-W49
    lead = world.agents["lead2"]
    change = faq.pin(article=answer, lead=lead, place=2, now=AFTER)
    assert [a.slug for a in pinned("es")] == ["uno", "ventas-en-cero", "dos"]
    assert list(PinnedFaq.objects.values_list("position", flat=True)) == [0, 1, 2]
    assert (change.kind, change.article, change.by, change.note) == (
        ChangeKind.PINNED,
        answer,
        lead,
        "2",
    )
    assert PinnedFaq.objects.get(article=answer).last_seen_week == "2026-W49"
    faq.pin(article=article("tres"), lead=lead, place=99, now=AFTER)
    assert pinned("es")[-1].slug == "tres"  # past the end: the end


def test_pinning_by_hand_is_refused_when_full_pinned_or_not_published(world: Any) -> None:
    lead = world.agents["lead1"]
    capacity = default_policy().kb.pinned_faqs
    for i in range(capacity):
        faq.pin(article=article(f"faq-{i}"), lead=lead, place=i + 1, now=AFTER)
    with pytest.raises(faq.FaqError) as full:
        faq.pin(article=article("una-mas"), lead=lead, place=1, now=AFTER)
    assert full.value.code == "full"
    faq.unpin(pin=PinnedFaq.objects.get(position=0), lead=lead, now=AFTER)
    with pytest.raises(faq.FaqError) as twice:
        faq.pin(article=pinned("es")[0], lead=lead, place=1, now=AFTER)
    assert twice.value.code == "pinned"
    draft = article("borrador", status="draft")
    with pytest.raises(faq.FaqError) as unpublished:
        faq.pin(article=draft, lead=lead, place=1, now=AFTER)
    assert unpublished.value.code == "published"
    with pytest.raises(faq.FaqError) as agent:
        faq.pin(article=article("otra"), lead=world.agents["t1"], place=1, now=AFTER)
    assert agent.value.code == "lead"
    assert PinnedFaq.objects.count() == capacity - 1
