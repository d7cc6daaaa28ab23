"""The survey's form: an answer and an optional comment (the portal's and the page's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from soporte.feedback.models import Answer

COMMENT_MAX = 4000


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("answer"),
        choices=Answer.choices,
        error_messages={"required": _("Choose one of the three answers.")},
    )
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=COMMENT_MAX, strip=True
    )

    def comment_or_none(self, data: dict[str, str]) -> str | None:
        """The comment when the form sent one (a face button alone keeps the saved one)."""
        return self.cleaned_data["comment"] if "comment" in data else None

    def named_errors(self) -> list[str]:
        """The form's errors, each naming its field."""
        return [f"{self[name].label}: {e}" for name, errors in self.errors.items() for e in errors]
