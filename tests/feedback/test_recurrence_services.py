"""Linking tickets as a recurrence and setting its disposition (both databases)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from recurrence_helpers import START, open_at

from soporte.feedback import recurrence_selectors, recurrences
from soporte.feedback.models import Recurrence, RecurrenceMember
from soporte.tickets.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db

AT = START + timedelta(days=3)
URL = "https://trackmyvend.com/Manuales.html#ventas"


@pytest.fixture
def three(world: Any) -> list[Any]:
    return [
        open_at(world, "No me llegan las ventas", days=0),
        open_at(world, "No aparecen mis ventas", days=1),
        open_at(world, "Ventas en cero en el tablero", days=2, plan="pro"),
    ]


def test_linking_makes_one_recurrence_on_both_timelines(world: Any, three: list[Any]) -> None:
    first, second, _ = three
    agent = world.agents["t1"]
    found = recurrences.link_recurrence(ticket=second, earlier=first, actor=agent, at=AT)
    assert found.is_open
    assert {m.ticket_id for m in found.members.all()} == {first.pk, second.pk}
    events = TimelineEvent.objects.filter(kind=EventKind.RECURRENCE_LINKED).order_by("ticket_id")
    assert [(e.ticket_id, e.data["other"], e.actor_agent_id, e.at) for e in events] == [
        (first.pk, second.pk, agent.pk, AT),
        (second.pk, first.pk, agent.pk, AT),
    ]
    assert all(e.data["recurrence"] == found.pk for e in events)


def test_a_third_ticket_joins_the_recurrence_either_way(world: Any, three: list[Any]) -> None:
    first, second, third = three
    agent = world.agents["t1"]
    found = recurrences.link_recurrence(ticket=second, earlier=first, actor=agent, at=AT)
    again = recurrences.link_recurrence(ticket=third, earlier=second, actor=agent, at=AT)
    assert again.pk == found.pk
    assert Recurrence.objects.count() == 1
    assert RecurrenceMember.objects.filter(recurrence=found).count() == 3


def test_an_earlier_ticket_joins_the_later_ones_recurrence(world: Any, three: list[Any]) -> None:
    first, second, third = three
    agent = world.agents["t2"]
    found = recurrences.link_recurrence(ticket=third, earlier=second, actor=agent, at=AT)
    assert (
        recurrences.link_recurrence(ticket=second, earlier=first, actor=agent, at=AT).pk == found.pk
    )
    assert RecurrenceMember.objects.filter(recurrence=found).count() == 3


@pytest.mark.parametrize(
    ("ticket", "earlier", "says"),
    [
        (0, 0, "itself"),
        (0, 1, "opened after"),
    ],
)
def test_a_ticket_cannot_be_linked_to_itself_or_a_later_one(
    world: Any, three: list[Any], ticket: int, earlier: int, says: str
) -> None:
    with pytest.raises(recurrences.RecurrenceError) as raised:
        recurrences.link_recurrence(
            ticket=three[ticket], earlier=three[earlier], actor=world.agents["t1"], at=AT
        )
    assert raised.value.field == "earlier"
    assert says in raised.value.message
    assert not Recurrence.objects.exists()
    assert not TimelineEvent.objects.filter(kind=EventKind.RECURRENCE_LINKED).exists()


def test_tickets_already_linked_or_in_two_recurrences_are_refused(
    world: Any, three: list[Any]
) -> None:
    first, second, third = three
    fourth = open_at(world, "Ventas perdidas", days=2.5)
    agent = world.agents["t1"]
    recurrences.link_recurrence(ticket=second, earlier=first, actor=agent, at=AT)
    with pytest.raises(recurrences.RecurrenceError, match="already linked"):
        recurrences.link_recurrence(ticket=second, earlier=first, actor=agent, at=AT)
    recurrences.link_recurrence(ticket=fourth, earlier=third, actor=agent, at=AT)
    with pytest.raises(recurrences.RecurrenceError, match="recurrence"):
        recurrences.link_recurrence(ticket=third, earlier=first, actor=agent, at=AT)
    assert Recurrence.objects.count() == 2
    assert RecurrenceMember.objects.count() == 4


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("linker", True), ("lead1", True), ("admin", True), ("t2", False)],
)
def test_who_may_dispose_of_a_recurrence(
    world: Any, three: list[Any], role: str, allowed: bool
) -> None:
    first, second, _ = three
    found = recurrences.link_recurrence(
        ticket=second, earlier=first, actor=world.agents["t1"], at=AT
    )
    actor = world.agents["t1" if role == "linker" else role]
    if not allowed:
        with pytest.raises(recurrences.NotAllowed):
            recurrences.set_recurrence_disposition(
                recurrence=found, kind="kb_article", link=URL, actor=actor, at=AT
            )
        assert Recurrence.objects.get(pk=found.pk).is_open
        return
    recurrences.set_recurrence_disposition(
        recurrence=found, kind="kb_article", link=URL, actor=actor, at=AT
    )
    stored = Recurrence.objects.get(pk=found.pk)
    assert (stored.disposition, stored.link, stored.disposed_by_id, stored.disposed_at) == (
        "kb_article",
        URL,
        actor.pk,
        AT,
    )


@pytest.mark.parametrize(
    ("kind", "link", "reason", "field"),
    [
        ("kb_article", "", "", "link"),
        ("product_fix", "not a url", "", "link"),
        ("no_action", "", "", "reason"),
        ("wontfix", "", "why", "kind"),
    ],
)
def test_a_bad_disposition_names_the_field_and_keeps_it_open(
    world: Any, three: list[Any], kind: str, link: str, reason: str, field: str
) -> None:
    first, second, _ = three
    lead = world.agents["lead1"]
    found = recurrences.link_recurrence(ticket=second, earlier=first, actor=lead, at=AT)
    with pytest.raises(recurrences.DispositionError) as raised:
        recurrences.set_recurrence_disposition(
            recurrence=found, kind=kind, link=link, reason=reason, actor=lead, at=AT
        )
    assert raised.value.field == field
    assert Recurrence.objects.get(pk=found.pk).is_open


def test_a_disposition_closes_it_on_every_timeline_and_leaves_the_lists(
    world: Any, three: list[Any]
) -> None:
    first, second, third = three
    lead = world.agents["lead2"]
    found = recurrences.link_recurrence(ticket=second, earlier=first, actor=lead, at=AT)
    recurrences.link_recurrence(ticket=third, earlier=first, actor=lead, at=AT)
    user = world.agents["t1"].user
    assert list(recurrence_selectors.open_recurrences(user)) == [found]
    assert list(
        recurrence_selectors.recurrence_dispositions_due(user, until=AT + timedelta(days=1))
    ) == [found]
    assert not recurrence_selectors.recurrence_dispositions_due(user, until=AT).exists()
    recurrences.set_recurrence_disposition(
        recurrence=found, kind="no_action", reason="customer's router", actor=lead, at=AT
    )
    events = TimelineEvent.objects.filter(kind=EventKind.RECURRENCE_DISPOSED)
    assert sorted(e.ticket_id for e in events) == sorted(t.pk for t in three)
    assert {e.data["disposition"] for e in events} == {"no_action"}
    assert not recurrence_selectors.open_recurrences(user).exists()


def test_customers_see_no_recurrence(world: Any, three: list[Any]) -> None:
    first, second, _ = three
    recurrences.link_recurrence(ticket=second, earlier=first, actor=world.agents["t1"], at=AT)
    customer = world.contacts["starter"].user
    assert not recurrence_selectors.open_recurrences(customer).exists()
    assert recurrence_selectors.recurrence_of(customer, first) is None
    assert recurrence_selectors.recurrence_of(world.agents["t3"].user, first) is not None
