"""The disposition rules (pure): what each kind needs, and the field named when it is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soporte.feedback.domain.dispositions import (
    Disposition,
    DispositionError,
    DispositionKind,
    disposition,
)

KB, FIX, NONE = DispositionKind.KB_ARTICLE, DispositionKind.PRODUCT_FIX, DispositionKind.NO_ACTION
URL = "https://trackmyvend.com/Manuales.html#ventas"


@pytest.mark.parametrize(
    ("kind", "link", "reason", "expected"),
    [
        ("kb_article", URL, "", Disposition(KB, URL, "")),
        (
            "product_fix",
            "http://git.example/issues/12",
            "",
            Disposition(FIX, "http://git.example/issues/12"),
        ),
        ("product_fix", f"  {URL} ", " fixed in 4.2 ", Disposition(FIX, URL, "fixed in 4.2")),
        (
            "no_action",
            "",
            "customer's own network",
            Disposition(NONE, "", "customer's own network"),
        ),
        ("no_action", URL, "one-off", Disposition(NONE, URL, "one-off")),
    ],
)
def test_a_valid_disposition_is_kept_trimmed(
    kind: str, link: str, reason: str, expected: Disposition
) -> None:
    assert disposition(kind, link=link, reason=reason) == expected


@pytest.mark.parametrize(
    ("kind", "link", "reason", "field"),
    [
        ("", URL, "", "kind"),
        ("fixed", URL, "", "kind"),
        ("kb_article", "", "", "link"),
        ("kb_article", "   ", "why", "link"),
        ("product_fix", "", "in progress", "link"),
        ("kb_article", "ftp://kb.example/a", "", "link"),
        ("kb_article", "trackmyvend.com/Manuales.html", "", "link"),
        ("product_fix", "https://", "", "link"),
        ("product_fix", "https://x.example/" + "a" * 500, "", "link"),
        ("no_action", "", "", "reason"),
        ("no_action", "", "  \n ", "reason"),
        ("no_action", "javascript:alert(1)", "why", "link"),
    ],
)
def test_an_invalid_disposition_names_the_field(
    kind: str, link: str, reason: str, field: str
) -> None:
    with pytest.raises(DispositionError) as raised:
        disposition(kind, link=link, reason=reason)
    assert raised.value.field == field


@given(kind=st.text(max_size=20), link=st.text(max_size=60), reason=st.text(max_size=60))
def test_any_input_gives_a_disposition_or_a_named_field(kind: str, link: str, reason: str) -> None:
    fields = set()
    try:
        found = disposition(kind, link=link, reason=reason)
    except DispositionError as exc:
        fields.add(exc.field)
    if fields:
        assert fields <= {"kind", "link", "reason"}
        return
    assert found.link == link.strip()
    assert found.reason == reason.strip()
    if found.kind is not NONE:
        assert found.link.startswith(("http://", "https://"))
    else:
        assert found.reason
