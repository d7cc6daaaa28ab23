"""The survey's three answers as people read them: the face and a word, in their language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from soporte.feedback.models import Answer


def label(answer: str) -> str:
    """``"up"`` -> ``"👍 Good"`` in the active language."""
    words = {
        Answer.UP: _("Good"),
        Answer.NEUTRAL: _("Okay"),
        Answer.DOWN: _("Not good"),
    }
    return f"{Answer(answer).label} {words[Answer(answer)]}"
