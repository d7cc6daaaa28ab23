"""The README's opening says what the desk does today: a feature whose app does not exist yet
is listed only under "Not there yet"."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURES = {"CSAT": "feedback", "knowledge base": "kb", "reports": "reports"}


def opening() -> tuple[str, str]:
    intro = ROOT.joinpath("README.md").read_text().split("\n## ")[0]
    does, _, coming = intro.partition("Not there yet")
    return does, coming


@pytest.mark.parametrize(("feature", "app"), sorted(FEATURES.items()))
def test_a_feature_is_advertised_only_once_its_app_exists(feature: str, app: str) -> None:
    does, coming = opening()
    if ROOT.joinpath("src", "soporte", app).is_dir():
        return
    assert feature not in does, f"the README says the desk has {feature}; it does not yet"
    assert feature in coming, f"the README's 'Not there yet' should name {feature}"
