"""Every badge's text meets WCAG AA contrast (4.5:1) against its background, computed from the
stylesheets themselves: a badge's colours are its own rule's, else those of its colour class
(``.clock-at-risk``), else the plain ``.badge``'s, with ``var(--name)`` taken from ``:root``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "soporte"
SHEETS = [SRC / "web/static/soporte/soporte.css", SRC / "console/static/console/console.css"]
AA = 4.5


def rules() -> dict[str, dict[str, str]]:
    """Declarations per simple selector (``.badge.clock-met``, ``:root``), later rules winning."""
    found: dict[str, dict[str, str]] = {}
    text = re.sub(r"/\*.*?\*/", "", "\n".join(p.read_text() for p in SHEETS), flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {
            name.strip(): value.strip()
            for name, value in (d.split(":", 1) for d in body.split(";") if ":" in d)
        }
        for selector in selectors.split(","):
            found.setdefault(selector.strip(), {}).update(declarations)
    return found


def hex_colour(value: str, root: dict[str, str]) -> str:
    while (var := re.fullmatch(r"var\((--[\w-]+)\)", value)) is not None:
        value = root[var.group(1)]
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), f"not a #rgb or #rrggbb colour: {value}"
    return value


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def badge_pairs() -> dict[str, tuple[str, str]]:
    found = rules()
    root, plain = found[":root"], found[".badge"]
    pairs = {".badge": (root["--ink"], plain["background"])}
    for selector, own in found.items():
        match = re.fullmatch(r"\.badge\.([\w-]+)", selector)
        if match is None:
            continue
        colour_class = found.get(f".{match.group(1)}", {})
        text = own.get("color") or colour_class.get("color") or root["--ink"]
        background = own.get("background") or plain["background"]
        pairs[selector] = (hex_colour(text, root), hex_colour(background, root))
    return pairs


def test_the_stylesheets_have_the_badges_we_check() -> None:
    assert {".badge.clock-at-risk", ".badge.sev-P2", ".badge.plan-pro"} <= set(badge_pairs())


@pytest.mark.parametrize(("selector", "pair"), sorted(badge_pairs().items()))
def test_badge_text_contrast_is_at_least_aa(selector: str, pair: tuple[str, str]) -> None:
    text, background = pair
    ratio = contrast(text, background)
    assert ratio >= AA, f"{selector}: {text} on {background} is {ratio:.2f}:1"


def test_the_contrast_formula_on_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
