"""One CSAT survey per resolution, credited when it is sent; a reopen voids it; the customer
answers, changes and comments within the policy's window."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation

from soporte.feedback import links, services
from soporte.feedback.models import Survey
from soporte.tickets import services as tickets
from soporte.tickets.models import EventKind
from survey_helpers import SOLVED, solved

pytestmark = pytest.mark.django_db


def kinds(ticket: Any) -> list[str]:
    return list(ticket.timeline.order_by("at", "pk").values_list("kind", flat=True))


def test_solving_sends_one_survey_credited_to_the_resolver(world: Any) -> None:
    ticket = solved(world, by="t2")
    survey = Survey.objects.get(ticket=ticket)
    assert (survey.contact, survey.organisation, survey.agent) == (
        world.contacts["pro"],
        world.orgs["pro"],
        world.agents["t2"],
    )
    assert (survey.tier, survey.channel, survey.plan, survey.severity) == (
        "T1",
        "portal",
        "pro",
        "P2",
    )
    assert (survey.first_response, survey.sent_at, survey.resolved_at) == ("met", SOLVED, SOLVED)
    assert EventKind.SURVEY_SENT in kinds(ticket)


def test_credit_stays_with_the_resolver_after_reassignment(world: Any) -> None:
    ticket = solved(world, by="t1")
    tickets.assign(
        ticket=ticket, assignee=world.agents["t2"], actor=world.agents["lead1"], at=SOLVED
    )
    assert Survey.objects.get(ticket=ticket).agent == world.agents["t1"]


def test_a_reopen_voids_the_pending_survey_and_the_next_resolution_sends_a_new_one(
    world: Any,
) -> None:
    ticket = solved(world)
    later = SOLVED + timedelta(hours=1)
    tickets.change_status(ticket=ticket, status="open", actor=world.contacts["pro"], at=later)
    first = Survey.objects.get(ticket=ticket)
    assert first.voided_at == later
    with pytest.raises(services.SurveyError, match="withdrawn"):
        services.answer(survey=first, answer="up", at=later)
    again = later + timedelta(hours=1)  # within 24 h: a voided survey does not count
    tickets.change_status(ticket=ticket, status="solved", actor=world.agents["t1"], at=again)
    assert Survey.objects.filter(ticket=ticket, voided_at__isnull=True).get().sent_at == again


def test_an_answered_survey_is_not_voided_by_a_reopen(world: Any) -> None:
    ticket = solved(world)
    survey = services.answer(survey=Survey.objects.get(ticket=ticket), answer="down", at=SOLVED)
    tickets.change_status(ticket=ticket, status="open", actor=world.contacts["pro"], at=SOLVED)
    survey.refresh_from_db()
    assert (survey.voided_at, survey.answer) == (None, "down")


def test_no_second_survey_to_the_same_contact_within_24_hours(world: Any) -> None:
    solved(world)
    second = solved(world, at=SOLVED + timedelta(hours=23, minutes=59))
    assert not Survey.objects.filter(ticket=second).exists()
    skipped = second.timeline.get(kind=EventKind.SURVEY_SKIPPED)
    assert skipped.data == {"reason": "recent_survey"}
    third = solved(world, at=SOLVED + timedelta(hours=24))
    assert Survey.objects.filter(ticket=third).exists()


def test_a_contact_who_opted_out_gets_no_survey(world: Any) -> None:
    services.opt_out(contact=world.contacts["pro"])
    ticket = solved(world)
    assert not Survey.objects.filter(ticket=ticket).exists()
    assert ticket.timeline.get(kind=EventKind.SURVEY_SKIPPED).data == {"reason": "opted_out"}


def test_answers_change_for_fourteen_days_and_the_first_fixes_the_week(world: Any) -> None:
    survey = Survey.objects.get(ticket=solved(world))
    first = SOLVED + timedelta(minutes=5)
    services.answer(survey=survey, answer="neutral", comment="  Tardaron  ", at=first)
    last = SOLVED + timedelta(days=14) - timedelta(seconds=1)
    survey = services.answer(survey=survey, answer="up", at=last)
    assert (survey.answer, survey.comment, survey.answered_at, survey.changed_at) == (
        "up",
        "Tardaron",
        first,
        last,
    )
    with pytest.raises(services.SurveyError, match="14 days"):
        services.answer(survey=survey, answer="down", at=SOLVED + timedelta(days=14))
    with pytest.raises(services.SurveyError, match="unknown answer 'meh'"):
        services.answer(survey=survey, answer="meh", at=last)


def test_links_name_their_survey_and_refuse_tampering(world: Any) -> None:
    survey = Survey.objects.get(ticket=solved(world))
    other = Survey.objects.get(ticket=solved(world, "enterprise"))
    token = links.token(survey)
    assert links.survey_for(token) == survey
    assert links.survey_for(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    ticket = token.partition("-")[0]
    forged = f"{ticket}-{other.pk}:{token.partition(':')[2]}"
    assert links.survey_for(forged) is None
    assert links.survey_for("garbage") is None


def test_the_console_timeline_tells_what_happened_to_the_survey(world: Any) -> None:
    from soporte.console.presenters import describe

    ticket = solved(world)
    services.answer(survey=Survey.objects.get(ticket=ticket), answer="neutral", at=SOLVED)
    services.answer(survey=Survey.objects.get(ticket=ticket), answer="down", comment="x", at=SOLVED)
    services.opt_out(contact=world.contacts["pro"])
    skipped = solved(world, at=SOLVED + timedelta(days=2))
    with translation.override("en"):
        texts = [describe(e) for e in [*ticket.timeline.all(), *skipped.timeline.all()]]
    assert "CSAT survey sent" in texts
    assert "CSAT answered 😐" in texts
    assert "CSAT answer changed 😐 → 👎, with a comment" in texts
    assert "CSAT survey not sent: the customer opted out of surveys" in texts


@pytest.mark.parametrize(("address", "built"), [("ana@pro.example", 1), ("", 0)])
def test_the_solved_notice_builds_the_survey_invite_only_for_its_email(
    world: Any, monkeypatch: Any, address: str, built: int
) -> None:
    from soporte.tickets import replies

    asked: list[int] = []

    def heard(ticket: Any, at: Any) -> None:  # first in line: the real invite still follows
        asked.append(ticket.pk)

    monkeypatch.setattr(replies, "SURVEY_INVITES", [heard, *replies.SURVEY_INVITES])
    contact = world.contacts["pro"]
    contact.user.email = address
    contact.user.save(update_fields=["email"])

    ticket = solved(world)

    assert len(asked) == built
    assert Survey.objects.filter(ticket=ticket).exists()  # offered either way: the portal shows it
