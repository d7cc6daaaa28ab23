"""The weekly support review's rules (READING.md §7; issue 12 §2). Pure: no Django, no clock.

- **Items.** Every survey answered below the best answer is an item of the review week its
  *first* answer fell in (``answered_at``, on the review zone's wall clock). A later change
  moves it to no other week; a change up to the best answer takes it out of the review.
- **Dispositions.** Each item gets one: a KB article or a product fix (each with the http(s)
  address of the article or the tracker's issue), coaching (with a note), or no action (with
  the reason).
- **Closing.** A lead closes a week once it has ended and every item has a disposition.
- **Reopening.** An answer changed after its week closed that makes the survey an item with no
  disposition (👍 → 😐, say) reopens the week: a closed week never hides an item.
- **The digest.** Due Monday 09:00 (review zone) for the week that just ended; its figures come
  from plain rows (:func:`figures`).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from soporte.feedback.domain.dispositions import LinkProblem, link_problem
from soporte.feedback.domain.surveys import below_best
from soporte.feedback.domain.weeks import Week, span, week_of

DIGEST_AT = time(9, 0)
"""When the Monday digest goes out, on the review zone's wall clock."""


def item_week(
    *, answer: str, answered_at: datetime | None, answers: Sequence[str], zone: str
) -> Week | None:
    """The review week the survey is an item of, or None (no answer yet, or the best one)."""
    if not answer or answered_at is None or not below_best(answer, answers):
        return None
    return week_of(answered_at, zone)


class Kind(enum.StrEnum):
    """What the review decided about an item."""

    KB_ARTICLE = "kb_article"
    PRODUCT_FIX = "product_fix"
    COACHING = "coaching"
    NO_ACTION = "no_action"


NEEDS_LINK = frozenset({Kind.KB_ARTICLE, Kind.PRODUCT_FIX})


class Problem(enum.Enum):
    """Why a disposition cannot stand; ``field`` is the form field to fix."""

    UNKNOWN_KIND = "unknown_kind"
    LINK_MISSING = "link_missing"
    LINK_NOT_WEB = "link_not_web"
    LINK_TOO_LONG = "link_too_long"
    NOTE_MISSING = "note_missing"
    REASON_MISSING = "reason_missing"

    @property
    def field(self) -> str:
        return "kind" if self is Problem.UNKNOWN_KIND else self.value.partition("_")[0]


@dataclass(frozen=True, slots=True)
class Decision:
    """A valid disposition, trimmed; only the text its kind asks for is kept."""

    kind: Kind
    link: str = ""
    note: str = ""
    reason: str = ""


class DispositionError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.field}: {problem.value}")
        self.problem = problem


def decision(kind: str, *, link: str = "", note: str = "", reason: str = "") -> Decision:
    """The disposition given, or ``DispositionError`` naming the first problem: an unknown kind;
    a missing, non-web or over-long link for a KB article or a product fix; no note for
    coaching; no reason for "no action"."""
    try:
        chosen = Kind(kind.strip())
    except ValueError:
        raise DispositionError(Problem.UNKNOWN_KIND) from None
    link, note, reason = link.strip(), note.strip(), reason.strip()
    if chosen in NEEDS_LINK:
        problem = link_problem(link, needed=True)
        if problem is not None:
            raise DispositionError(_LINK_PROBLEMS[problem])
        return Decision(chosen, link=link)
    if chosen is Kind.COACHING:
        if not note:
            raise DispositionError(Problem.NOTE_MISSING)
        return Decision(chosen, note=note)
    if not reason:
        raise DispositionError(Problem.REASON_MISSING)
    return Decision(chosen, reason=reason)


_LINK_PROBLEMS = {
    LinkProblem.MISSING: Problem.LINK_MISSING,
    LinkProblem.NOT_WEB: Problem.LINK_NOT_WEB,
    LinkProblem.TOO_LONG: Problem.LINK_TOO_LONG,
}


class CloseRefusal(enum.Enum):
    NOT_ENDED = "not_ended"
    UNDISPOSED = "undisposed"
    ALREADY_CLOSED = "already_closed"


def close_refusal(
    *,
    week: Week,
    zone: str,
    closed: bool,
    items: Iterable[int],
    disposed: Collection[int],
    now: datetime,
) -> CloseRefusal | None:
    """Why the week may not close at ``now`` (None: it may): already closed; not over yet (an
    answer may still land in it); an item without a disposition."""
    if closed:
        return CloseRefusal.ALREADY_CLOSED
    if now < span(week, zone)[1]:
        return CloseRefusal.NOT_ENDED
    if undisposed(items, disposed):
        return CloseRefusal.UNDISPOSED
    return None


def undisposed(items: Iterable[int], disposed: Collection[int]) -> list[int]:
    """The items (survey ids) that have no disposition yet, in the order given."""
    return [item for item in items if item not in disposed]


def reopens(*, closed: bool, is_item: bool, disposed: bool) -> bool:
    """An answer change reopens the item's week: it is closed, and the survey is now an item
    with no disposition."""
    return closed and is_item and not disposed


# ------------------------------------------------------------------------------- the digest


def digest_due(week: Week, zone: str) -> datetime:
    """When the digest of ``week`` goes out: the next Monday at :data:`DIGEST_AT`."""
    monday = week.shifted(1).monday
    return datetime.combine(monday, DIGEST_AT, tzinfo=ZoneInfo(zone))


def next_digest(now: datetime, zone: str) -> Week:
    """The week whose digest is the next one due at or after ``now``."""
    current = week_of(now, zone)
    last = current.shifted(-1)
    return last if now <= digest_due(last, zone) else current


@dataclass(frozen=True, slots=True)
class Ratio:
    hits: int
    total: int

    @property
    def percent(self) -> int | None:
        """Rounded half up; None when there is nothing to count."""
        if not self.total:
            return None
        return (200 * self.hits + self.total) // (2 * self.total)


@dataclass(frozen=True, slots=True)
class Row:
    """A survey as the digest counts it."""

    answer: str
    """Blank: no answer."""
    tier: str
    plan: str
    first_response: str
    """The SLA first-response outcome when it was sent (``met``, ``missed``…; blank: no clock)."""


@dataclass(frozen=True, slots=True)
class Figures:
    sent: int
    faces: dict[str, int]
    """Answers by face, best first, every face present."""
    response_rate: Ratio
    csat: Ratio
    csat_by_tier: dict[str, Ratio]
    csat_by_plan: dict[str, Ratio]
    sla_met: Ratio


def figures(
    *,
    sent: Sequence[Row],
    answered: Sequence[Row],
    answers: Sequence[str],
    tiers: Sequence[str],
    plans: Sequence[str],
) -> Figures:
    """A week's figures. ``sent``: the surveys sent in it and not voided (response rate = those
    answered / those sent; SLA met = first response met / those with a first-response clock).
    ``answered``: the surveys first answered in it, the review's own (answers by face; CSAT =
    best answers / answers, overall, per tier and per plan, in the order of ``tiers`` and
    ``plans``, those with answers only)."""
    given = [row for row in answered if row.answer]
    best = answers[0]

    def csat(rows: Iterable[Row]) -> Ratio:
        rows = list(rows)
        return Ratio(sum(row.answer == best for row in rows), len(rows))

    clocked = [row for row in sent if row.first_response]
    return Figures(
        sent=len(sent),
        faces={face: sum(row.answer == face for row in given) for face in answers},
        response_rate=Ratio(sum(bool(row.answer) for row in sent), len(sent)),
        csat=csat(given),
        csat_by_tier={
            tier: csat(r for r in given if r.tier == tier)
            for tier in tiers
            if any(r.tier == tier for r in given)
        },
        csat_by_plan={
            plan: csat(r for r in given if r.plan == plan)
            for plan in plans
            if any(r.plan == plan for r in given)
        },
        sla_met=Ratio(sum(row.first_response == "met" for row in clocked), len(clocked)),
    )
