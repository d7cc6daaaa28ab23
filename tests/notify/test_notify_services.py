"""``notify.csm_notice``: which tickets tell an organisation's CSM, and what; ``tell_csm``
writes it once (a notification and its email copy)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from soporte.accounts.models import Organisation
from soporte.accounts.services import create_agent
from soporte.jobs.models import Job, OutboxMessage
from soporte.jobs.outbox import job_key
from soporte.notify import services as notify
from soporte.notify.models import Notification
from soporte.tickets import services
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Ticket

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-11-30T10:00:00-06:00")


@pytest.fixture
def csm(world: Any) -> Any:
    """Lead 3 manages the Enterprise and the Pro organisation (Pro's plan has no CSM)."""
    lead = world.agents["lead3"]
    for plan in ("enterprise", "pro"):
        world.orgs[plan].csm = lead
        world.orgs[plan].save()
    return lead


def notice(org: Organisation, severity: str = "P1", plan: str = "enterprise") -> Any:
    return notify.csm_notice(
        organisation=org, number=41, severity=severity, plan=plan, subject="Map down"
    )


def test_an_enterprise_csm_hears_of_p0_and_p1_only(world: Any, csm: Any) -> None:
    org = world.orgs["enterprise"]
    for severity in ("P0", "P1"):
        assert notice(org, severity) == notify.Notice(
            agent=csm,
            event="csm_p0_p1",
            key=f"csm:41:{severity}:{csm.pk}",
            title=f"Enterprise Vending abrió un {severity}: ticket #41, Map down",
            titles={
                "es-mx": f"Enterprise Vending abrió un {severity}: ticket #41, Map down",
                "en": f"Enterprise Vending opened a {severity}: ticket #41, Map down",
            },
        )
    assert notice(org, "P2") is None
    assert notice(org, "P3") is None


def test_the_ticket_plan_decides_not_the_organisations(world: Any, csm: Any) -> None:
    """The plan is the ticket's snapshot: a plan without a CSM tells nobody, even if the
    organisation has one."""
    assert notice(world.orgs["pro"], plan="pro") is None
    assert notice(world.orgs["enterprise"], plan="pro") is None
    assert notice(world.orgs["pro"], plan="enterprise") is not None


def test_no_csm_no_notice_and_no_query(world: Any, django_assert_num_queries: Any) -> None:
    org = Organisation.objects.get(pk=world.orgs["enterprise"].pk)
    with django_assert_num_queries(0):
        assert notice(org, "P0") is None  # no CSM
    org.csm = world.agents["lead3"]
    org.save()
    org = Organisation.objects.get(pk=org.pk)
    with django_assert_num_queries(0):
        assert notice(org, "P2") is None  # decided without loading the CSM


def test_the_title_is_in_the_csms_language(world: Any, csm: Any) -> None:
    csm.locale = "en"
    csm.save()
    title = notice(world.orgs["enterprise"]).title
    assert title == "Enterprise Vending opened a P1: ticket #41, Map down"


def test_the_email_copy_goes_to_the_csms_address(world: Any, csm: Any) -> None:
    made = notice(world.orgs["enterprise"])
    assert made.email_copy() == (
        f"notify:csm:41:P1:{csm.pk}",
        {"to": [csm.email], "subject": made.title, "body": made.title},
    )
    csm.user.email = ""
    assert made.email_copy() is None


def _ticket(world: Any, severity: str) -> Ticket:
    org = world.orgs["enterprise"]
    return Ticket.objects.create(
        organisation=org,
        requester=world.contacts["enterprise"],
        subject="Map down",
        channel="email",
        severity=severity,
        tier="T1",
        plan="enterprise",
        policy_version="1",
        opened_at=NOW,
        updated_at=NOW,
    )


def test_tell_csm_writes_the_notice_and_its_email_once(world: Any, csm: Any) -> None:
    ticket = _ticket(world, "P1")
    made = notify.ticket_csm_notice(ticket)
    assert made is not None
    note = notify.tell_csm(ticket=ticket, now=NOW)
    assert note is not None
    again = notify.tell_csm(ticket=ticket, now=NOW + timedelta(minutes=5))  # a re-run
    assert again == note
    row = Notification.objects.get()
    assert (row.agent, row.ticket, row.event, row.key, row.title, row.created_at) == (
        csm,
        ticket,
        made.event,
        made.key,
        made.title,
        NOW,
    )
    copy = made.email_copy()
    assert copy is not None
    email = OutboxMessage.objects.get()
    assert (email.transport, email.idempotency_key, email.payload) == ("email", *copy)
    assert Job.objects.filter(key=job_key(copy[0])).count() == 1

    ticket.severity = "P0"  # raised: a new notice, keyed by the new severity
    assert notify.tell_csm(ticket=ticket, now=NOW) != note
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        f"csm:{ticket.pk}:P0:{csm.pk}",
        f"csm:{ticket.pk}:P1:{csm.pk}",
    ]
    assert OutboxMessage.objects.count() == 2


def test_tell_csm_without_an_address_writes_only_the_notification(world: Any, csm: Any) -> None:
    csm.user.email = ""
    csm.user.save()
    ticket = Ticket.objects.select_related("organisation__csm__user").get(
        pk=_ticket(world, "P0").pk
    )
    assert notify.tell_csm(ticket=ticket, now=NOW) is not None
    assert Notification.objects.count() == 1
    assert not OutboxMessage.objects.exists()


def test_tell_csm_ignores_a_p2(world: Any, csm: Any, django_assert_num_queries: Any) -> None:
    ticket = _ticket(world, "P2")
    with django_assert_num_queries(0):
        assert notify.tell_csm(ticket=ticket, now=NOW) is None
    assert not Notification.objects.exists()


# --------------------------------------------------------------------------- the leads, per clock


def _two_clock_ticket(world: Any) -> Ticket:
    return services.open_ticket(  # Pro's chat has its own channel clock beside the SLA's
        requester=world.contacts["pro"],
        channel="chat",
        severity="P2",
        subject="Map down",
        body="The map is blank.",
        intake=Intake(),
        received_at=NOW,
        now=timezone.now(),
    )


@pytest.mark.parametrize("event", ["sla_at_risk", "sla_breached"])
def test_a_leads_two_clocks_make_two_emails_that_say_which_clock(world: Any, event: str) -> None:
    ticket = _two_clock_ticket(world)
    english = world.agents["lead1"]  # the T1 lead
    english.locale = "en"
    english.save()
    spanish = create_agent(email="rosa@trackmyvend.example", name="Rosa", role="lead")
    for clock in ticket.clocks.all():
        notify.tell_leads(ticket=ticket, event=event, clock=clock, now=NOW)

    def saying(lead: Any, clock: str) -> int:
        """How many of the lead's two emails name ``clock`` in the subject and the body."""
        sent = OutboxMessage.objects.filter(idempotency_key__endswith=f":{lead.pk}")
        assert sent.count() == 2
        return sum(clock in m.payload["subject"] and clock in m.payload["body"] for m in sent)

    assert saying(english, "first response") == 1
    assert saying(english, "channel response (In-app chat)") == 1
    assert saying(spanish, "primera respuesta") == 1
    assert saying(spanish, "respuesta del canal (Chat en la app)") == 1
