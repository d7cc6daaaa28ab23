"""``soporte.db.prepared``: a compiled lookup gives what the queryset gives, in one query."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soporte.accounts.models import Contact
from soporte.db.prepared import Prepared

CONTACT = Prepared(
    lambda pk: Contact.objects.select_related("organisation", "user").filter(pk=pk)[:1], 1
)


def test_same_instance_as_the_queryset_with_relations_in_one_query(world: Any) -> None:
    ana = world.contacts["enterprise"]
    expected = Contact.objects.select_related("organisation", "user").get(pk=ana.pk)
    with CaptureQueriesContext(connection) as queries:
        found = CONTACT.first(ana.pk)
        assert found is not None
        org, user = found.organisation, found.user  # cached: no further query
    assert len(queries) == 1
    assert found == expected
    assert found.__dict__.keys() >= {"name", "locale", "time_zone", "organisation_id"}
    assert {k: v for k, v in found.__dict__.items() if k != "_state"} == {
        k: v for k, v in expected.__dict__.items() if k != "_state"
    }
    assert org.pk == expected.organisation.pk  # a UUID, converted back on SQLite too
    assert type(org.pk) is type(expected.organisation.pk)
    assert org.created_at == expected.organisation.created_at  # an aware datetime
    assert user.email == "ana@enterprise.example"
    assert found._state.adding is False
    assert found._state.db == "default"


def test_new_arguments_each_run(world: Any) -> None:
    for plan, contact in world.contacts.items():
        found = CONTACT.first(contact.pk)
        assert found is not None
        assert found.organisation.plan == plan
    assert CONTACT.first(10**9) is None
    assert CONTACT.all(10**9) == []


def test_wrong_number_of_arguments() -> None:
    with pytest.raises(TypeError, match="expected 1 arguments, got 2"):
        CONTACT.all(1, 2)


def test_refuses_a_lookup_that_transforms_its_argument(db: Any) -> None:
    by_part = Prepared(lambda part: Contact.objects.filter(user__email__contains=part), "ana")
    with pytest.raises(ValueError, match=r"argument 0 \('ana'\) does not reach the SQL"):
        by_part.all("starter")


def test_each_thread_compiles_for_its_own_connection(world: Any, transactional_db: Any) -> None:
    ana = world.contacts["pro"]
    found: list[Any] = []

    def lookup() -> None:
        try:
            found.append(CONTACT.first(ana.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=lookup)
    thread.start()
    thread.join()
    assert found
    assert found[0] is not None
    assert found[0].pk == ana.pk
    assert CONTACT.first(ana.pk) == found[0]


def test_an_argument_the_driver_wraps_keeps_its_wrapper(db: Any) -> None:
    # PostgreSQL: Django passes a small-integer column's value as psycopg's ``Int4``.
    from django.utils import timezone

    from soporte.jobs.models import Job

    due = timezone.now()
    jobs = [Job.objects.create(kind="k", key=f"k{n}", due_at=due, attempts=n) for n in range(3)]
    by_attempts = Prepared(lambda n: Job.objects.filter(attempts=n).order_by("pk"), 7_777)
    assert [j.pk for j in by_attempts.all(2)] == [jobs[2].pk]
    assert by_attempts.all(9) == []
