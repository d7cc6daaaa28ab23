"""Phone numbers in their one canonical form (``soporte.phones``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.phones import e164, same_line

MONTERREY = "+528126982507"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("+52 (81) 2698-2507", MONTERREY),  # the policy's WhatsApp line, as printed
        ("8126982507", MONTERREY),  # national, read as Mexican
        ("81 2698 2507", MONTERREY),
        ("+5218126982507", MONTERREY),  # the old mobile prefix, as WhatsApp still sends it
        ("5218126982507", MONTERREY),  # a wa_id: bare digits, international
        ("528126982507", MONTERREY),
        ("00528126982507", MONTERREY),  # international dialling prefix from Mexico
        ("+52 1 55 1234 5678", "+525512345678"),
        ("+14155550100", "+14155550100"),
        ("14155550100", "+14155550100"),  # a US wa_id: more digits than a national number
        ("447911123456", "+447911123456"),
        (" +52 81 2698 2507 ", MONTERREY),
    ],
)
def test_every_written_form_of_a_line_is_one_number(written: str, canonical: str) -> None:
    assert e164(written) == canonical


@pytest.mark.parametrize(
    "written", ["", " ", "+", "12", "garbage", "+52 81", "1" * 41, "+999 123 456 789", "++52"]
)
def test_what_is_not_a_number_is_none(written: str) -> None:
    assert e164(written) is None


def test_same_line_compares_canonical_forms() -> None:
    assert same_line("5218126982507", "(81) 2698-2507")
    assert not same_line("8126982507", "8126982508")
    assert not same_line("garbage", "garbage")  # two invalid numbers are not one line


@given(st.text(max_size=45))
def test_canonical_form_is_stable_and_never_raises(written: str) -> None:
    number = e164(written)
    if number is not None:
        assert number.startswith("+")
        assert number[1:].isdigit()
        assert e164(number) == number
