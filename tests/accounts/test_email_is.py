"""People are found by address whatever its case, through an index on the lower-cased address."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from soporte.accounts.models import Agent, Contact, email_is

pytestmark = pytest.mark.django_db


def test_an_address_matches_whatever_its_case_and_spaces(world: Any) -> None:
    assert Contact.objects.get(email_is("  ANA@Pro.Example ")) == world.contacts["pro"]
    assert Agent.objects.get(email_is("T2@TrackMyVend.example")) == world.agents["t2"]
    assert not Contact.objects.filter(email_is("ana@pro.example.mx")).exists()


def test_the_lookup_reads_the_lower_cased_address_index(world: Any) -> None:
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "auth_user")
    assert "auth_user_email_lower" in indexes
    if connection.vendor == "sqlite":
        sql, params = Contact.objects.filter(email_is("ana@pro.example")).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "auth_user_email_lower" in plan, plan
