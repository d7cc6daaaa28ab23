"""The clock rule holds over ``src/soporte``, and the checker catches what it must (see
``clock_rule``): the desk's own code, then small snippets of each kind of violation."""

from __future__ import annotations

from textwrap import dedent

from clock_rule import check, package_sources


def violations(**modules: str) -> list[str]:
    """``check`` of the snippets, named ``soporte.<name>`` (``__`` for a dot)."""
    sources = {f"soporte.{name.replace('__', '.')}": dedent(text) for name, text in modules.items()}
    return [str(v) for v in check(sources)]


def test_nothing_below_the_edges_reads_the_clock() -> None:
    assert [str(v) for v in check(package_sources())] == []


OUTBOX_AS_IT_WAS = """
    from django.utils import timezone

    def delivery_job(message, *, due_at=None):
        return Job(due_at=due_at or timezone.now())

    def enqueue(*, key, due_at=None):
        return delivery_job(key, due_at=due_at)

    def enqueue_email(*, key, to):
        return enqueue(key=key)
"""


def test_it_catches_the_email_job_due_at_the_real_clock() -> None:
    """The bug of issue 9: ``notify.services._tell`` got ``now``, but the email job it queued
    was due at the real clock, three calls down."""
    found = violations(
        jobs__outbox=OUTBOX_AS_IT_WAS,
        notify__services="""
            from soporte.jobs.outbox import enqueue_email

            def _tell(notice, *, now):
                enqueue_email(key=notice, to=["a@b.example"])
        """,
    )
    assert found == [
        "soporte.notify.services:5 _tell: takes the time but calls "
        "soporte.jobs.outbox.enqueue_email, which reads the clock"
    ]


def test_it_is_content_once_the_time_is_passed_down() -> None:
    assert not violations(
        jobs__outbox="""
            def delivery_job(message, *, due_at):
                return Job(due_at=due_at)

            def enqueue_email(*, key, due_at):
                return delivery_job(key, due_at=due_at)
        """,
        notify__services="""
            from soporte.jobs import outbox

            def _tell(notice, *, now):
                outbox.enqueue_email(key=notice, due_at=now)
        """,
    )


def test_a_function_given_the_time_reads_no_clock_of_any_kind() -> None:
    found = violations(
        tickets__presenters="""
            import time
            from datetime import date, datetime
            from django.utils import timezone

            def a(ticket, now=None):
                return now or timezone.now()

            def b(*, at):
                return datetime.now(tz=UTC), date.today(), time.time()

            def c(now):
                return timezone.localtime(), timezone.localtime(now)
        """
    )
    assert [v.split(": ", 2)[-1] for v in found] == [
        "timezone.now()",
        "datetime.now()",
        "date.today()",
        "time.time()",
        "timezone.localtime()",
    ]


def test_below_the_edges_nothing_reads_the_clock_even_without_a_now() -> None:
    found = violations(
        sla__services="""
            from django.utils.timezone import now as clock

            def cancel(key):
                return clock()
        """,
        sla__domain__clocks="""
            from datetime import datetime

            def late():
                return datetime.utcnow()
        """,
    )
    assert found == [
        "soporte.sla.domain.clocks:5 late: is below the edges but reads the clock: "
        "datetime.utcnow()",
        "soporte.sla.services:5 cancel: is below the edges but reads the clock: clock()",
    ]


def test_the_edges_read_the_clock_and_hand_it_down() -> None:
    """Views, the command line and the worker loop read the clock; a service that calls a
    helper giving it the time, or is handed the clock itself, reads nothing."""
    assert not violations(
        console__views="""
            from django.utils import timezone
            from soporte.tickets import services

            def reply(request):
                services.reply(body=request.POST, at=timezone.now())
        """,
        jobs__worker="""
            from django.utils import timezone
            from soporte.jobs import services

            def loop():
                services.run_due(worker="w", now=timezone.now)
        """,
        jobs__services="""
            def run_due(*, worker, now):
                return now() if callable(now) else now
        """,
        tickets__services="""
            from soporte.tickets import presenters

            def reply(*, body, at):
                return presenters.stamp(body, at=at)
        """,
        tickets__presenters="""
            from django.utils import timezone

            def stamp(body, at=None):
                return body, at
        """,
    )


def test_a_helper_that_reads_the_clock_taints_its_callers() -> None:
    found = violations(
        tickets__services="""
            from soporte.tickets.helpers import outer

            def escalate(*, at):
                return outer()
        """,
        tickets__helpers="""
            import time

            def inner():
                return time.time()

            def outer():
                return inner()
        """,
    )
    assert found == [
        "soporte.tickets.services:5 escalate: takes the time but calls "
        "soporte.tickets.helpers.outer, which reads the clock"
    ]
