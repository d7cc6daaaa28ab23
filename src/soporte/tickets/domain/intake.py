"""The seven fields of "What to include in a ticket" (SUPPORT.md; READING.md §6)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from soporte.text import is_blank, one_line


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

    def tidy(self) -> Intake:
        """The intake as stored: its one-line fields one clean line each
        (``soporte.text.one_line``); the expected and actual behaviour keep their lines."""
        return replace(
            self,
            organisation_id=one_line(self.organisation_id),
            url=one_line(self.url),
            browser_os=one_line(self.browser_os),
            started_at=one_line(self.started_at),
        )

    def present(self) -> frozenset[IntakeField]:
        given = {
            IntakeField.ORGANISATION_ID: not is_blank(self.organisation_id),
            IntakeField.SCREENSHOT: self.has_screenshot,
            IntakeField.URL: not is_blank(self.url),
            IntakeField.EXPECTED_VS_ACTUAL: not (is_blank(self.expected) or is_blank(self.actual)),
            IntakeField.BROWSER_OS: not is_blank(self.browser_os),
            IntakeField.STARTED_AT: not is_blank(self.started_at),
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
