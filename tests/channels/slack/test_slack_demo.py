"""The demo desk's Slack Connect threads, seeded through the hook and the event job."""

from __future__ import annotations

import pytest
from django.utils import timezone

from soporte.demo import world as demo
from soporte.jobs.models import OutboxMessage
from soporte.tickets.models import AuthorKind, Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_slack_thread_answered_in_the_console_and_a_starter_message() -> None:
    demo.seed(now=timezone.now())

    thread = Ticket.objects.get(
        slack_thread__thread_ts__isnull=False, organisation__name="Café Express MTY"
    )
    authors = list(
        thread.messages.order_by("created_at", "pk").values_list("author_kind", flat=True)
    )
    assert authors == [
        AuthorKind.CUSTOMER,
        AuthorKind.SYSTEM,
        AuthorKind.AGENT,
        AuthorKind.CUSTOMER,
    ]
    assert thread.channel_entitled
    starter = Ticket.objects.get(
        slack_thread__thread_ts__isnull=False, organisation__name="Snacks del Norte"
    )
    assert not starter.channel_entitled
    posts = OutboxMessage.objects.filter(transport="slack")
    assert posts.count() == 3  # two acknowledgements and Lucía's reply, waiting for Slack
