"""``language_of_code``: the one mapping from a UI language code to the content language (es or
en) that the console, the public knowledge base, the portal's suggestions and the chat widget
use."""

from __future__ import annotations

import pytest

from soporte.accounts.models import Language, language_of_code


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("en", "en"),
        ("en-us", "en"),
        ("EN-GB", "en"),
        ("es-mx", "es"),
        ("es", "es"),
        ("fr", "es"),
        ("", "es"),
        (None, "es"),
    ],
)
def test_english_codes_are_english_and_anything_else_spanish(
    code: str | None, language: str
) -> None:
    found = language_of_code(code)
    assert found == language
    assert type(found) is str  # a plain value: JSON, cookies and comparisons
    assert found in Language.values
