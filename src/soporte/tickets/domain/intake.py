"""The seven fields of "What to include in a ticket" (SUPPORT.md; READING.md §6), and what a
customer's later message supplies of them."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

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


MAX_URL = 500
MAX_BROWSER_OS = 200
MAX_STARTED_AT = 100
"""The longest URL, browser-and-OS and start time a ticket holds."""

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_ID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b", re.I)
_VERSION = r"(?:\s+\d+(?:\.\d+)*)?"
_BROWSER = re.compile(
    rf"\b(?:chrome|chromium|firefox|safari|edge|opera|brave|samsung internet){_VERSION}\b",
    re.IGNORECASE,
)
_OS = re.compile(
    rf"\b(?:windows|macos|mac os x|os x|mac|linux|ubuntu|android|ipados|ios|iphone|ipad|"
    rf"chromeos|chrome os){_VERSION}\b",
    re.IGNORECASE,
)


def supplied(
    intake: Intake,
    *,
    text: str,
    attached: bool,
    organisation_id: str,
    own_hosts: frozenset[str] = frozenset(),
) -> Intake:
    """``intake`` with what a customer's later message supplies of the fields it lacks; a
    field already given is kept. What a message can supply without a person reading it:

    - a screenshot or recording: any file ``attached`` (uploads are screenshots or recordings);
    - the organisation ID: the organisation's own (``organisation_id``), in any case, with or
      without dashes (another UUID in a message is more often a request or error ID);
    - the URL: the first ``http(s)`` address not on ``own_hosts`` (links to the desk itself,
      quoted from our own emails, are not where the customer was);
    - browser and OS: a browser's name and an operating system's, each with its version if
      written after it (``"Chrome 123, Windows 11"``);
    - when it started: the first time written with its zone, as written (:func:`started_at`).

    Expected vs actual and whether it is still happening need a person to read them: an
    agent records them."""
    found: dict[str, Any] = {}
    given = intake.present()
    if attached and IntakeField.SCREENSHOT not in given:
        found["has_screenshot"] = True
    if IntakeField.ORGANISATION_ID not in given and _mentions_id(text, organisation_id):
        found["organisation_id"] = organisation_id
    if IntakeField.URL not in given:
        url = next((u for u in _urls(text) if _host(u) not in own_hosts), "")
        if url:
            found["url"] = url
    if IntakeField.BROWSER_OS not in given:
        browser, system = _BROWSER.search(text), _OS.search(text)
        if browser and system:
            found["browser_os"] = f"{browser.group(0)}, {system.group(0)}"[:MAX_BROWSER_OS]
    if IntakeField.STARTED_AT not in given:
        started = started_at(text)
        if started:
            found["started_at"] = started
    return replace(intake, **found) if found else intake


_DAY = r"(?:hoy|ayer|anoche|today|yesterday|this\s+morning|esta\s+mañana)"
_DATE = r"(?:\d{4}-\d{2}-\d{2}[T ]|\d{1,2}/\d{1,2}(?:/\d{2,4})?\s+)"
_CLOCK = (
    r"(?:[01]?\d|2[0-3])"
    r"(?::[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s*[ap]\.?\s?m\b\.?)?|\s*[ap]\.?\s?m\b\.?)"
)
_OFFSET = r"(?:(?:UTC|GMT)\s?[+\-−]\s?\d{1,2}(?::?\d{2})?|[+\-]\d{2}:?\d{2}\b)"
_ZONE_NAME = (
    r"(?:UTC|GMT|CDMX|[CEMP][SD]T|(?-i:[CEMP]T)|America/[A-Za-z_]+(?:/[A-Za-z_]+)?"
    r"|(?:hora|tiempo)\s+(?:del?\s+(?:la\s+)?)?(?:centro|este|pac[ií]fico|monta[ñn]a|CDMX"
    r"|Ciudad\s+de\s+M[eé]xico|M[eé]xico)(?:\s+de\s+M[eé]xico)?"
    r"|(?:central|eastern|pacific|mountain|mexico\s+city)(?:\s+standard)?\s+time)\b"
)
_STARTED = re.compile(
    rf"(?:\b{_DAY}\s+(?:a\s+las\s+|at\s+)?)?(?:\b{_DATE}|\b){_CLOCK}"
    rf"(?:(?<=\d)Z\b|\s*{_OFFSET}|[\s,]*(?:h(?:rs?|oras)?\.?\s+)?\(?\s*{_ZONE_NAME}\s*\)?)"
    rf"(?:,?\s*(?:de\s+)?\b{_DAY}\b)?",
    re.IGNORECASE,
)


def started_at(text: str) -> str:
    """The first time written with its zone in ``text``, as written, with the day word or
    date beside it: ``"hoy a las 14:00 (CDMX)"``, ``"9:30 hora del centro"``, ``"10am CST"``,
    ``"14:30 CST today"``, ``"2026-12-02T14:30:00-06:00"``; empty when there is none (a time
    without a zone says too little)."""
    match = _STARTED.search(text)
    return one_line(match.group(0), limit=MAX_STARTED_AT) if match else ""


def _mentions_id(text: str, organisation_id: str) -> bool:
    wanted = organisation_id.replace("-", "").lower()
    return any(m.group(0).replace("-", "").lower() == wanted for m in _ID.finditer(text))


def _urls(text: str) -> list[str]:
    """The well-formed ``http(s)`` addresses a ticket can hold, in order."""
    urls = (m.group(0).rstrip(".,;:!?)") for m in _URL.finditer(text))
    return [url for url in urls if len(url) <= MAX_URL and _host(url)]


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
