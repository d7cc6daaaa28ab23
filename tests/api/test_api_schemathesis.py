"""Schemathesis over ``/api/openapi.json`` against the real app and database: no 5xx on any
input, and every status code the API answers is documented for its operation.

Bounded and deterministic (fixed seed, ``deterministic``, 25 fuzzed examples per operation
besides the examples and coverage phases; no stateful phase), with a valid bearer token of an
administrator, so every operation is reachable. Generated ids are pointed at real rows about
half of the time, so the success paths run too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from api_helpers import Desk
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from soporte.config.wsgi import application

pytestmark = pytest.mark.django_db

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260101,
        "generation": {"max-examples": 25, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)

# Loaded at collection through the WSGI app (the document needs no database). Not
# ``schemathesis.pytest.from_fixture``: its lazy loader uses a pytest attribute pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)


@pytest.fixture
def one_connection() -> Iterator[None]:
    """Keep the test's database connection (and its transaction) across requests: Django's
    WSGI handler closes connections it finds in a transaction; its test client does this too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _point_at_real_rows(case: Any, desk: Desk) -> None:
    """Replace generated ids by ids of existing rows when the generated value is "even"."""
    real: dict[str, Any] = {
        "ticket_id": desk.t2_ticket.pk,
        "contact_id": desk.world.contacts["starter"].pk,
        "requester_id": desk.world.contacts["starter"].pk,
        "attachment_id": desk.attachment.pk,
        "assignee_id": desk.world.agents["t2"].pk,
        "csm_id": desk.world.agents["lead1"].pk,
        "organisation_id": str(desk.world.orgs["starter"].pk),
    }
    for params in (case.path_parameters, case.query, case.body):
        if not isinstance(params, dict):
            continue
        for name, value in list(params.items()):
            if name not in real:
                continue
            if isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
                params[name] = real[name]
            elif isinstance(value, str) and value[:1] in set("02468ace"):
                params[name] = real[name] if name == "organisation_id" else value


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_answers_no_5xx_and_only_documented_statuses(
    case: Any, desk: Desk, one_connection: None
) -> None:
    _point_at_real_rows(case, desk)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {desk.token('admin')}"},
        checks=[not_a_server_error, status_code_conformance],
    )
