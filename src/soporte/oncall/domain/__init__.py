"""Rotation math, pure: who is on call at an instant, and the shifts over a range.

No Django and no clock: every instant is a parameter. See :mod:`soporte.oncall.domain.rotation`.
"""

from soporte.oncall.domain.rotation import (
    Assignment,
    OnCallNow,
    Override,
    Person,
    Role,
    Rotation,
    Shift,
    assignments,
    handoff_instant,
    last_handoff,
    shift_weeks,
    shifts,
    who,
)

__all__ = [
    "Assignment",
    "OnCallNow",
    "Override",
    "Person",
    "Role",
    "Rotation",
    "Shift",
    "assignments",
    "handoff_instant",
    "last_handoff",
    "shift_weeks",
    "shifts",
    "who",
]
