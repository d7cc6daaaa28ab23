"""docs/contributing.md's "Layout" names exactly the packages under src/soporte."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_layout_table_lists_every_package_and_no_other() -> None:
    text = (ROOT / "docs" / "contributing.md").read_text()
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))
    packages = {path.parent.name for path in (ROOT / "src" / "soporte").glob("*/__init__.py")}
    assert listed == packages
