"""The reports page's filters, read from the query string (a filtered page is a shareable URL):
a period preset or custom dates, plan, severity, tier, channel and organisation. A bad value is
a form error on its field; :meth:`ReportFilters.filters` turns a valid form into
:class:`~soporte.reports.domain.filters.Filters`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Organisation, Tier
from soporte.console.forms import QueueFilterForm
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.periods import LONGEST, Preset, preset_days

PRESETS = [
    (Preset.THIS_WEEK.value, _("This week")),
    (Preset.LAST_4_WEEKS.value, _("Last 4 weeks")),
    (Preset.THIS_QUARTER.value, _("This quarter")),
    (Preset.LAST_QUARTER.value, _("Last quarter")),
    (Preset.CUSTOM.value, _("Custom dates")),
]
DEFAULT = Preset.LAST_4_WEEKS
FIELDS = ("period", "start", "end", "plan", "severity", "tier", "channel", "organisation")
"""The query parameters the filters read."""


class ReportFilters(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PRESETS)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    plan = QueueFilterForm.base_fields["plan"]
    severity = QueueFilterForm.base_fields["severity"]
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("Any tier")), *Tier.choices]
    )
    channel = QueueFilterForm.base_fields["channel"]
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        empty_label=_("Any organisation"),
        queryset=Organisation.objects.order_by("name"),
    )

    def __init__(self, query: QueryDict, **kwargs: Any) -> None:
        """Bound to the query's filter parameters; a missing period is the default one."""
        data = {name: query.get(name, "") for name in FIELDS}
        data["period"] = data["period"] or DEFAULT.value
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("period") != Preset.CUSTOM:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, value in (("start", start), ("end", end)):
            if value is None and name not in self.errors:
                self.add_error(name, _("A custom period needs this date."))
        if start is not None and end is not None:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif end - start >= LONGEST:
                self.add_error("end", _("A period can be at most two years long."))
        return cleaned

    def filters(self, today: date) -> Filters:
        """The valid form's filters; a preset's days as seen on ``today`` (a local date)."""
        data = self.cleaned_data
        preset = Preset(data["period"])
        if preset is Preset.CUSTOM:
            start, end = data["start"], data["end"]
        else:
            start, end = preset_days(preset, today)
        organisation: Organisation | None = data["organisation"]
        return Filters(
            start=start,
            end=end,
            plan=data["plan"],
            severity=data["severity"],
            tier=data["tier"],
            channel=data["channel"],
            organisation=organisation.pk if organisation else None,
        )


def problems(form: ReportFilters) -> list[str]:
    """The form's errors, each named by its field's label (the CSV download's 400)."""
    return [
        f"{form.fields[name].label}: {' '.join(map(str, errs))}"
        for name, errs in form.errors.items()
    ]
