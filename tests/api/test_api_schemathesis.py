"""Schemathesis over ``/api/openapi.json`` against the real app and database, with all its
checks: no 5xx on any input; every status code, content type, header and body the API answers
is documented; every request the schema allows is accepted and every one it forbids refused.

Bounded and deterministic (fixed seed, ``deterministic``, 20 fuzzed examples per operation
besides the examples and coverage phases; no stateful phase), with a valid bearer token of an
administrator, so every operation is reachable. A valid request is given what no schema can
state (see :func:`_point_at_real_rows`): the rows its body refers to exist, ``received_at`` is
in its moving window, an agent names the requester; about half of the ids in paths point at real
rows, so both the success paths and the 404s run. Invalid requests are sent as generated.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from api_helpers import Desk
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, assume, settings
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.transport.serialization import Binary

from soporte.config.wsgi import application
from soporte.tickets.attachments import sniff

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # about 60 s on two busy cores

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260101,
        "generation": {"max-examples": 20, "deterministic": True, "database": "none"},
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


def _valid(case: Any, location: str) -> bool:
    """Whether this part of a valid request was generated to fit the schema (an invalid
    request is left as generated, whichever of its parts was made invalid)."""
    part = case.meta.components.get(ParameterLocation(location))
    return case.meta.generation.mode == GenerationMode.POSITIVE and (
        part is None or part.mode == GenerationMode.POSITIVE
    )


def _point_at_real_rows(case: Any, desk: Desk) -> None:
    """In a valid request, a row the body refers to exists (a precondition no schema states):
    body references become real rows, as does about half of the ids in paths and queries (the
    other half exercises the 404s). An invalid request is left as generated."""
    real: dict[str, Any] = {
        "ticket_id": desk.t2_ticket.pk,
        "contact_id": desk.world.contacts["starter"].pk,
        "requester_id": desk.world.contacts["starter"].pk,
        "requester_email": desk.world.contacts["starter"].user.email,
        "attachment_id": desk.attachment.pk,
        "assignee_id": desk.world.agents["t2"].pk,
        "csm_id": desk.world.agents["lead1"].pk,
        "earlier": desk.t2_ticket.pk,
        "organisation_id": str(desk.world.orgs["starter"].pk),
    }
    for location, params in [("path", case.path_parameters), ("query", case.query)]:
        if not _valid(case, location):
            continue
        for name, value in list((params or {}).items()):
            if name in real and str(value)[-1:] in set("02468ace"):
                params[name] = real[name]
    if isinstance(case.body, dict) and _valid(case, "body"):
        for name, value in list(case.body.items()):
            if name in real and value is not None:
                case.body[name] = real[name]
        if case.body.get("received_at") is not None:
            # Within the last year and not in the future (its description): a window that
            # moves with the clock, which a schema cannot state (test_api_errors.py: its edges).
            case.body["received_at"] = (timezone.now() - timedelta(hours=1)).isoformat()
        if case.body.get("plan") == "enterprise" and case.body.get("csm_id") is None:
            # An Enterprise organisation names its CSM (described: the policy decides which
            # plans have one, so the schema cannot require it).
            case.body["csm_id"] = real["csm_id"]
        upload = case.body.get("file")
        # An upload is sniffed: its bytes must be one of the documented types (a sample of
        # another format that the generator labelled with one of them is not a valid request).
        assume(not (isinstance(upload, Binary) and sniff(upload.data) is None))
        opens = case.operation.path == "/api/tickets" and case.method.upper() == "POST"
        if opens and not (case.body.get("requester_id") or case.body.get("requester_email")):
            # Agents open tickets for a contact: requester_id or requester_email (described;
            # contacts open them for themselves, so the schema cannot require either).
            case.body["requester_id"] = real["requester_id"]


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_the_api_does_what_its_document_says(case: Any, desk: Desk, one_connection: None) -> None:
    _point_at_real_rows(case, desk)
    case.call_and_validate(headers={"Authorization": f"Bearer {desk.token('admin')}"})
