"""The "Was this helpful?" form: an answer (yes/no) and, after it, an optional comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from soporte.kb.models.votes import COMMENT_MAX

ANSWER_REFUSED = _("helpful must be yes or no.")


class VoteForm(forms.Form):
    helpful = forms.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        error_messages={"required": ANSWER_REFUSED, "invalid_choice": ANSWER_REFUSED},
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX,
        strip=True,
        error_messages={"max_length": _("comment must be at most %(limit_value)d characters.")},
    )

    def refusals(self) -> list[str]:
        """What was wrong (validating the form if need be), each message naming its field."""
        return [str(message) for messages in self.errors.values() for message in messages]
