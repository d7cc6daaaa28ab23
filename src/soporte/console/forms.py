"""The console's forms: queue filters (GET) and the ticket actions (POST)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent, Organisation, Plan
from soporte.tickets.models import Channel, Severity, Status

CLOCK_FILTERS = [
    ("", _("Any clock")),
    ("at_risk", _("At risk or breached")),
    ("breached", _("Breached only")),
]


class QueueFilterForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("Any severity")), *Severity.choices]
    )
    plan = forms.ChoiceField(
        label=_("Plan"), required=False, choices=[("", _("Any plan")), *Plan.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Channel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Unresolved")), *Status.choices]
    )
    clock = forms.ChoiceField(label=_("SLA"), required=False, choices=CLOCK_FILTERS)

    def values(self) -> dict[str, str]:
        """The valid filters given; an invalid value is ignored rather than failing the page."""
        self.is_valid()
        cleaned: dict[str, Any] = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value}


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    kind = forms.ChoiceField(
        choices=[("public", _("Public reply")), ("internal", _("Internal note"))],
        widget=forms.HiddenInput,
    )
    """Set by the button pressed: "Send reply" or "Add internal note"."""
    cc = forms.CharField(
        label=_("CC"),
        required=False,
        max_length=2000,
        help_text=_("Addresses to copy on this ticket's emails from now on, separated by commas"),
    )

    def clean_cc(self) -> list[str]:
        """The addresses given, each checked (an invalid one is named)."""
        given = [a for a in re.split(r"[,;\s]+", self.cleaned_data.get("cc") or "") if a]
        for address in given:
            try:
                validate_email(address)
            except ValidationError:
                problem = _("“%(address)s” is not an email address.")
                raise ValidationError(problem % {"address": address}) from None
        return given


class CcRemoveForm(forms.Form):
    address = forms.EmailField(label=_("CC"))


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=Agent.objects.order_by("tier", "name"),
        required=False,
        empty_label=_("Unassigned"),
    )


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    code_bug = forms.BooleanField(
        label=_("Code or infrastructure bug (pages on-call for P0/P1)"), required=False
    )


class LinkForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(unidentified=False).order_by("name"),
    )
    add_domain = forms.BooleanField(
        label=_("Also add the sender's email domain to the organisation"),
        required=False,
    )
