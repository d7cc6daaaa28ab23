"""Identity verification (pure): the host page's HMAC-SHA256 of ``email|organisation_id``,
hex, checked in constant time. The vectors were computed with ``openssl dgst -sha256 -hmac``."""

from __future__ import annotations

import pytest

from soporte.channels.chat.domain.identity import signature, verified

SECRET = "demo-chat-secret"
ORG = "3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f"
VECTORS = [
    ("ana@pro.example", "55fc3a9b6b72f3142ecf69dc58450f99d2505566420fbb39834adf65009bd1ba"),
    ("josé@ejemplo.mx", "9be81c52782fd81f2ed0d6b1a96bb612b1de1c0ab75440b0eff6b505d59b2e15"),
]


@pytest.mark.parametrize(("email", "expected"), VECTORS)
def test_the_signature_is_the_hex_hmac_sha256_of_email_bar_organisation(
    email: str, expected: str
) -> None:
    assert signature(SECRET, email, ORG) == expected
    assert verified(SECRET, email, ORG, expected)
    assert verified(SECRET, email, ORG, expected.upper())  # hex in either case


@pytest.mark.parametrize(
    ("secret", "email", "org", "given"),
    [
        (SECRET, "ana@pro.example", ORG, VECTORS[0][1][:-1] + "0"),  # wrong signature
        (SECRET, "ana@pro.example", ORG.replace("3f", "4f", 1), VECTORS[0][1]),  # wrong org
        (SECRET, "eve@pro.example", ORG, VECTORS[0][1]),  # someone else's signature
        ("another-secret", "ana@pro.example", ORG, VECTORS[0][1]),  # another deployment's
        (SECRET, "ana@pro.example", ORG, ""),  # missing
        ("", "ana@pro.example", ORG, signature("", "ana@pro.example", ORG)),  # no secret set
        (SECRET, "ana@pro.example", ORG, "not hex at all"),
    ],
)
def test_anything_else_does_not_verify(secret: str, email: str, org: str, given: str) -> None:
    assert not verified(secret, email, org, given)
