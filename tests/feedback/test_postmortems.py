"""Post-mortems on the real database: asked for by a P0 (opened or raised) and by a page's
founder/CTO step, due five business days after the resolution (moved by a re-resolution),
written and published by T3 and the leads, with action items linked to product fixes; the
post-mortem's timeline is the ticket's own events."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from postmortem_helpers import MINUTE, OPENED, open_ticket, rotation

from soporte.escalation import services as paging
from soporte.escalation.models import Page
from soporte.feedback import postmortem_selectors as selectors
from soporte.feedback import postmortems, recurrences
from soporte.feedback.domain.postmortem import Entry, Reason, Standing, Status, entry_of
from soporte.feedback.models import PostMortem, PostMortemReason, PostMortemStatus
from soporte.tickets import services as tickets
from soporte.tickets.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


def events(ticket: Any, kind: EventKind) -> list[dict[str, Any]]:
    return [e.data for e in TimelineEvent.objects.filter(ticket=ticket, kind=kind)]


def test_the_models_choices_are_the_rules_statuses_and_reasons():
    assert PostMortemStatus.values == [s.value for s in Status]
    assert PostMortemReason.values == [r.value for r in Reason]


def test_a_p0_asks_for_one_once(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world)
    found = PostMortem.objects.get(ticket=ticket)
    assert (found.reason, found.status, found.requested_at, found.due_at) == (
        "p0",
        "requested",
        OPENED,
        None,
    )
    again = postmortems.request_postmortem(ticket=ticket, reason="p0", at=OPENED + MINUTE)
    assert again.pk == found.pk
    assert events(ticket, EventKind.POSTMORTEM_REQUESTED) == [{"reason": "p0"}]


def test_a_ticket_raised_to_p0_asks_for_one_and_a_p1_does_not(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world, severity="P1")
    assert not PostMortem.objects.filter(ticket=ticket).exists()
    tickets.change_severity(
        ticket=ticket, severity="P0", actor=world.agents["t2"], at=OPENED + 5 * MINUTE
    )
    assert PostMortem.objects.get(ticket=ticket).requested_at == OPENED + 5 * MINUTE


def test_the_founder_cto_step_asks_for_one(world):  # type: ignore[no-untyped-def]
    rotation(world)
    ticket = open_ticket(world)
    PostMortem.objects.filter(ticket=ticket).delete()  # as if asked for before this existed
    page = Page.objects.get(ticket=ticket)
    paging.advance(page, now=OPENED + 29 * MINUTE)
    assert not PostMortem.objects.filter(ticket=ticket).exists()
    paging.advance(page, now=OPENED + 31 * MINUTE)
    assert PostMortem.objects.get(ticket=ticket).requested_at == OPENED + 31 * MINUTE


def test_due_five_business_days_after_resolution_and_moved_by_a_re_resolution(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world)
    agent = world.agents["t3"]
    solved = datetime(2027, 3, 3, 11, tzinfo=MX)  # Wednesday 11:00
    tickets.change_status(ticket=ticket, status="solved", actor=agent, at=solved)
    assert PostMortem.objects.get(ticket=ticket).due_at == datetime(2027, 3, 10, 11, tzinfo=MX)
    tickets.change_status(ticket=ticket, status="open", actor=agent, at=solved + timedelta(days=1))
    resolved_again = datetime(2027, 3, 12, 17, tzinfo=MX)  # Friday 17:00
    tickets.change_status(ticket=ticket, status="solved", actor=agent, at=resolved_again)
    found = PostMortem.objects.get(ticket=ticket)
    assert found.due_at == datetime(2027, 3, 19, 17, tzinfo=MX)
    assert [e["due_at"] for e in events(ticket, EventKind.POSTMORTEM_DUE)] == [
        datetime(2027, 3, 10, 11, tzinfo=MX).isoformat(),
        datetime(2027, 3, 19, 17, tzinfo=MX).isoformat(),
    ]


def test_the_postmortem_timeline_equals_the_ticket_events(world):  # type: ignore[no-untyped-def]
    rotation(world)
    ticket = open_ticket(world)
    page = Page.objects.get(ticket=ticket)
    t3 = world.agents["t3"]
    paging.acknowledge(page=page, agent=t3, via="console", at=OPENED + 4 * MINUTE)
    tickets.reply(ticket=ticket, author=t3, body="Lo estamos revisando.", at=OPENED + 9 * MINUTE)
    tickets.escalate(ticket=ticket, actor=t3, reason="RLS", at=OPENED + 12 * MINUTE)
    tickets.change_status(ticket=ticket, status="solved", actor=t3, at=OPENED + 50 * MINUTE)

    lines = selectors.postmortem_timeline(ticket)

    recorded = TimelineEvent.objects.filter(ticket=ticket).order_by("at", "id")
    assert [(line.entry, line.at, line.event) for line in lines] == [
        (entry_of_row(e), e.at, e.pk) for e in recorded if entry_of_row(e) is not None
    ]
    assert [line.entry for line in lines] == [
        Entry.OPENED,
        Entry.PAGE_OPENED,
        Entry.PAGED,
        Entry.ACKNOWLEDGED,
        Entry.FIRST_RESPONSE,
        Entry.ESCALATED,
        Entry.RESOLVED,
    ]
    paged = lines[2]
    assert (paged.details["target"], paged.details["agent"]) == ("primary", "T3")
    assert lines[3].actor == "T3"
    assert lines[4].details == {"met": True}  # Enterprise P0: 15 min 24/7, answered in 9


def entry_of_row(row: TimelineEvent) -> Entry | None:
    from soporte.feedback.domain.postmortem import Event

    return entry_of(Event(row.kind, row.at, row.data))


def test_writing_publishing_and_who_may(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world)
    postmortem = PostMortem.objects.get(ticket=ticket)
    at = OPENED + timedelta(days=1)
    with pytest.raises(postmortems.NotAllowed):
        postmortems.save_postmortem(
            postmortem=postmortem,
            author=world.agents["t1"],
            language="es",
            impact="x",
            cause="y",
            went_well="",
            at=at,
        )
    with pytest.raises(postmortems.PostMortemError) as caught:
        postmortems.publish(postmortem=postmortem, author=world.agents["t3"], at=at)
    assert caught.value.field == "impact"
    with pytest.raises(postmortems.PostMortemError) as caught:
        postmortems.save_postmortem(
            postmortem=postmortem,
            author=world.agents["t3"],
            language="fr",
            impact="",
            cause="",
            went_well="",
            at=at,
        )
    assert caught.value.field == "language"
    saved = postmortems.save_postmortem(
        postmortem=postmortem,
        author=world.agents["t3"],
        language="en",
        impact="Every machine showed no sales for 50 minutes.",
        cause="",
        went_well="Paged and acknowledged in 4 minutes.",
        at=at,
    )
    assert (saved.status, saved.author, saved.language) == ("draft", world.agents["t3"], "en")
    with pytest.raises(postmortems.PostMortemError) as caught:
        postmortems.publish(postmortem=saved, author=world.agents["lead1"], at=at)
    assert caught.value.field == "cause"
    postmortems.save_postmortem(
        postmortem=saved,
        author=world.agents["lead1"],
        language="en",
        impact=saved.impact,
        cause="An RLS policy migration dropped the sales view's grant.",
        went_well=saved.went_well,
        at=at,
    )
    written = postmortems.publish(postmortem=saved, author=world.agents["lead1"], at=at + MINUTE)
    assert (written.status, written.written_at, written.author) == (
        "written",
        at + MINUTE,
        world.agents["t3"],  # the first author keeps the credit
    )
    assert events(ticket, EventKind.POSTMORTEM_WRITTEN) == [{"language": "en", "overdue": False}]
    # a written post-mortem is not moved by a later resolution
    tickets.change_status(ticket=ticket, status="solved", actor=world.agents["t3"], at=at)
    assert PostMortem.objects.get(ticket=ticket).due_at is None


def test_lists_for_the_weekly_review(world):  # type: ignore[no-untyped-def]
    first, second, third = (open_ticket(world, at=OPENED + n * MINUTE) for n in range(3))
    t3 = world.agents["t3"]
    tickets.change_status(ticket=first, status="solved", actor=t3, at=OPENED + timedelta(hours=2))
    tickets.change_status(ticket=second, status="solved", actor=t3, at=OPENED + timedelta(days=2))
    due_first = PostMortem.objects.get(ticket=first).due_at
    assert due_first is not None
    now = due_first + MINUTE

    listed = selectors.postmortems_due(now=now)
    assert [(row.ticket.pk, row.standing) for row in listed] == [
        (first.pk, Standing.OVERDUE),
        (second.pk, Standing.DUE),
        (third.pk, Standing.AWAITING_RESOLUTION),
    ]
    assert [row.ticket.pk for row in selectors.overdue(now=now)] == [first.pk]
    assert [row.ticket.pk for row in selectors.overdue(now=due_first)] == []


def test_action_items_link_product_fixes(world):  # type: ignore[no-untyped-def]
    ticket = open_ticket(world)
    postmortem = PostMortem.objects.get(ticket=ticket)
    t3, at = world.agents["t3"], OPENED + timedelta(days=1)
    with pytest.raises(postmortems.PostMortemError) as caught:
        postmortems.add_action_item(
            postmortem=postmortem, author=t3, text="Test the grant", fix_url="PR 12", at=at
        )
    assert caught.value.field == "fix_url"
    with pytest.raises(postmortems.PostMortemError) as caught:
        postmortems.add_action_item(
            postmortem=postmortem, author=t3, text="  ", fix_url="https://x.example/1", at=at
        )
    assert caught.value.field == "text"
    with pytest.raises(postmortems.NotAllowed):
        postmortems.add_action_item(
            postmortem=postmortem,
            author=world.agents["t2"],
            text="Alert on zero sales",
            fix_url="https://github.com/trackmyvend/app/issues/7",
            at=at,
        )
    keep = postmortems.add_action_item(
        postmortem=postmortem,
        author=t3,
        text="Test the sales view's grant in CI",
        fix_url="https://github.com/trackmyvend/app/pull/812",
        owner=world.agents["lead3"],
        at=at,
    )
    drop = postmortems.add_action_item(
        postmortem=postmortem,
        author=t3,
        text="Alert on an hour of zero sales",
        fix_url="https://github.com/trackmyvend/app/issues/813",
        at=at + MINUTE,
    )
    assert postmortems.remove_action_item(postmortem=postmortem, author=t3, item=drop.pk, at=at)
    assert not postmortems.remove_action_item(postmortem=postmortem, author=t3, item=drop.pk, at=at)
    assert postmortems.mark_action_item(
        postmortem=postmortem, author=t3, item=keep.pk, done=True, at=at
    )
    items = selectors.action_items_of(ticket)
    assert [(i.text, i.fix_url, i.owner, i.done) for i in items] == [
        (
            "Test the sales view's grant in CI",
            "https://github.com/trackmyvend/app/pull/812",
            world.agents["lead3"],
            True,
        )
    ]
    assert selectors.action_items_of(open_ticket(world, severity="P2")) == []


FIX = "https://github.com/trackmyvend/app/issues/41"


def _recurred(world: Any, incident: Any, at: Any) -> Any:
    """The same problem again, a day later, linked to the incident by a T1 agent."""
    again = open_ticket(world, severity="P2", at=at)
    return recurrences.link_recurrence(
        ticket=again, earlier=incident, actor=world.agents["t1"], at=at
    )


def test_a_postmortem_fix_is_the_disposition_when_the_problem_recurs(world):  # type: ignore[no-untyped-def]
    incident = open_ticket(world)
    postmortems.add_action_item(
        postmortem=PostMortem.objects.get(ticket=incident),
        author=world.agents["t3"],
        text="Alert on zero sales",
        fix_url=FIX,
        at=OPENED + timedelta(hours=1),
    )
    found = _recurred(world, incident, OPENED + timedelta(days=1))
    assert (found.disposition, found.link, found.disposed_by) == (
        "product_fix",
        FIX,
        world.agents["t1"],
    )
    event = incident.timeline.get(kind=EventKind.RECURRENCE_DISPOSED)
    assert event.data["postmortem"] == PostMortem.objects.get(ticket=incident).pk


def test_an_action_item_added_after_the_problem_recurred_disposes_of_it(world):  # type: ignore[no-untyped-def]
    incident = open_ticket(world)
    found = _recurred(world, incident, OPENED + timedelta(days=1))
    assert found.disposition == ""
    postmortems.add_action_item(
        postmortem=PostMortem.objects.get(ticket=incident),
        author=world.agents["t3"],
        text="Alert on zero sales",
        fix_url=FIX,
        at=OPENED + timedelta(days=2),
    )
    found.refresh_from_db()
    assert (found.disposition, found.link) == ("product_fix", FIX)


def test_a_recurrence_disposed_of_by_hand_keeps_its_disposition(world):  # type: ignore[no-untyped-def]
    incident = open_ticket(world)
    found = _recurred(world, incident, OPENED + timedelta(days=1))
    recurrences.set_recurrence_disposition(
        recurrence=found,
        kind="kb_article",
        link="https://trackmyvend.com/Manuales.html#ventas",
        actor=world.agents["lead1"],
        at=OPENED + timedelta(days=1),
    )
    postmortems.add_action_item(
        postmortem=PostMortem.objects.get(ticket=incident),
        author=world.agents["t3"],
        text="Alert on zero sales",
        fix_url=FIX,
        at=OPENED + timedelta(days=2),
    )
    found.refresh_from_db()
    assert found.disposition == "kb_article"
