"""The seven fields of "What to include in a ticket" (SUPPORT.md; READING.md §6)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class IntakeField(enum.Enum):
    ORGANISATION_ID = "organisation_id"
    SCREENSHOT = "screenshot"
    URL = "url"
    EXPECTED_VS_ACTUAL = "expected_vs_actual"
    BROWSER_OS = "browser_os"
    STARTED_AT = "started_at"
    STILL_HAPPENING = "still_happening"


@dataclass(frozen=True, slots=True)
class Intake:
    """What the customer gave us; empty strings for what they did not."""

    organisation_id: str = ""
    has_screenshot: bool = False
    url: str = ""
    expected: str = ""
    actual: str = ""
    browser_os: str = ""
    started_at: str = ""
    still_happening: str = ""
    """``"yes"``, ``"no"`` or empty (unknown)."""

    def present(self) -> frozenset[IntakeField]:
        given = {
            IntakeField.ORGANISATION_ID: bool(self.organisation_id.strip()),
            IntakeField.SCREENSHOT: self.has_screenshot,
            IntakeField.URL: bool(self.url.strip()),
            IntakeField.EXPECTED_VS_ACTUAL: bool(self.expected.strip() and self.actual.strip()),
            IntakeField.BROWSER_OS: bool(self.browser_os.strip()),
            IntakeField.STARTED_AT: bool(self.started_at.strip()),
            IntakeField.STILL_HAPPENING: self.still_happening in {"yes", "no"},
        }
        return frozenset(field for field, ok in given.items() if ok)

    def missing(self) -> list[IntakeField]:
        """Missing fields in the policy's order."""
        present = self.present()
        return [field for field in IntakeField if field not in present]

    @property
    def completeness(self) -> int:
        """0-7: how many of the seven fields we have."""
        return len(self.present())
