"""The OpenAPI document: valid OpenAPI 3.1, every error response documented, docs offline."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from django.test import Client
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

ID_PARAMETERS = {"ticket_id", "attachment_id", "organisation_id", "contact_id"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1.")
    errors = [error.message for error in OPENAPI_31_VALIDATOR.iter_errors(document)]
    assert errors == []


def test_every_operation_documents_its_errors_in_one_shape(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["Error"]["properties"]["detail"]["type"] == "string"
    field = schemas["FieldError"]["properties"]
    assert {"field", "source", "message"} <= set(field)
    for method, path, operation in operations(document):
        responses = operation["responses"]
        codes = {int(code) for code in responses}
        assert {400, 401, 403, 422} <= codes, (method, path)
        if ID_PARAMETERS & set(path.replace("{", " ").replace("}", " ").split()):
            assert 404 in codes, (method, path)
        assert "content" not in responses["414"], (method, path)  # gunicorn's, not ours
        for code in codes - {200, 201, 414}:
            ref = responses[str(code)]["content"]["application/json"]["schema"]["$ref"]
            expected = "ValidationErrorOut" if code == 422 else "Error"
            assert ref.endswith(f"/{expected}"), (method, path, code)
        assert operation["security"], (method, path)


def test_both_ways_to_authenticate_are_declared(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme") or s.get("in")) for s in schemes.values()}
    assert kinds == {("http", "bearer"), ("apiKey", "cookie")}


def test_docs_are_served_from_our_own_static_files() -> None:
    response = Client().get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
    assert "https://" not in html


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


def test_every_pattern_in_the_document_is_a_regex_clients_accept(document: dict[str, Any]) -> None:
    """A pattern a validator cannot compile is dropped by clients and fuzzers alike (a lone
    surrogate range once hid the "no NUL" and "not blank" rules from schemathesis)."""
    patterns = _patterns(document)
    assert patterns
    for pattern in patterns:
        validator = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
        assert not validator.is_valid("\x00"), pattern
