"""The survey's form: an answer and an optional comment (the portal's and the page's)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from soporte.feedback import services
from soporte.feedback.models import Answer, Survey

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

    def record(self, survey: Survey, *, at: datetime) -> Survey:
        """Record the valid form's answer on ``survey`` at ``at``, and its comment when it sent
        one (a face button alone keeps the saved comment); ``SurveyError`` when closed."""
        return services.answer(
            survey=survey,
            answer=self.cleaned_data["answer"],
            comment=self.cleaned_data["comment"] if "comment" in self.data else None,
            at=at,
        )

    def named_errors(self) -> list[str]:
        """The form's errors, each naming its field."""
        return [f"{self[name].label}: {e}" for name, errors in self.errors.items() for e in errors]
