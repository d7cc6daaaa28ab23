"""The on-call page's forms: an override, a swap (two overrides at once).

Start and end are typed as wall times in the rotation's zone (``datetime-local`` inputs have no
zone); ``clean`` makes them aware in that zone once the rotation is known.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.forms.fields import BaseTemporalField
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Agent
from soporte.oncall.models import OnCallRole, Rotation, max_override

PAST_GRACE = timedelta(minutes=15)
"""A start this far before now is taken as "now" (the form is filled in at minute precision);
earlier, an override would rewrite who was on call."""

WALL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class WallTimeField(forms.DateTimeField):
    """A local wall time, kept naive: the form gives it the rotation's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=WALL_FORMATS[0])
    default_error_messages = {"invalid": _("Enter a date and time (YYYY-MM-DD HH:MM).")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=WALL_FORMATS, **kwargs)

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        parsed = BaseTemporalField.to_python(self, str(value).strip())
        return parsed if isinstance(parsed, datetime) else None


class AgentField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Agent.objects.order_by("name"),
            error_messages={"invalid_choice": _("Unknown agent.")},
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.tier})"


class RotationField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Rotation.objects.order_by("name"),
            label=_("Rotation"),
            empty_label=None,
            error_messages={"invalid_choice": _("Unknown rotation.")},
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.zone})"


class _NamedProblemsForm(forms.Form):
    def problems(self) -> str:
        """Every error in one line, each named by its field's label."""
        parts = []
        for name, errors in self.errors.items():
            text = " ".join(str(e) for e in errors)
            parts.append(f"{self.fields[name].label}: {text}" if name in self.fields else text)
        return "; ".join(parts)


class _OnCallForm(_NamedProblemsForm):
    """What an override and a swap share: the rotation, the role, the reason, and spans."""

    spans: tuple[tuple[str, str], ...] = ()
    """(start field, end field) pairs, checked and made aware in the rotation's zone."""

    rotation = RotationField()
    role = forms.ChoiceField(label=_("Role"), choices=OnCallRole.choices)

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rotation: Rotation | None = cleaned.get("rotation")
        if rotation is None:
            return cleaned
        zone = ZoneInfo(rotation.zone)
        for start_field, end_field in self.spans:
            start, end = cleaned.get(start_field), cleaned.get(end_field)
            if start is None or end is None:
                continue
            start, end = start.replace(tzinfo=zone), end.replace(tzinfo=zone)
            cleaned[start_field], cleaned[end_field] = start, end
            if end <= start:
                self.add_error(end_field, _("The end must be after the start."))
            elif end - start > max_override():
                self.add_error(
                    end_field,
                    _("An override lasts at most %(days)s days.") % {"days": max_override().days},
                )
            elif end <= self.now:
                self.add_error(end_field, _("The end is in the past."))
            elif start < self.now - PAST_GRACE:
                self.add_error(
                    start_field,
                    _("The start is in the past: an override cannot change who was on call."),
                )
        return cleaned

    def require_distinct(self, one: str, other: str, message: Any) -> None:
        """Two agent fields naming the same agent: ``message`` on the second."""
        a, b = self.cleaned_data.get(one), self.cleaned_data.get(other)
        if a is not None and b is not None and a.pk == b.pk:
            self.add_error(other, message)


class OverrideForm(_OnCallForm):
    spans = (("starts_at", "ends_at"),)

    covering = AgentField(label=_("Covering agent"))
    covered = AgentField(label=_("Covering for (optional)"), required=False)
    starts_at = WallTimeField(label=_("Start"))
    ends_at = WallTimeField(label=_("End"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.require_distinct("covering", "covered", _("An agent does not cover for themselves."))
        return cleaned


class SwapForm(_OnCallForm):
    """``first`` gives ``first_starts_at``–``first_ends_at`` to ``second`` and takes
    ``second_starts_at``–``second_ends_at`` in return."""

    spans = (("first_starts_at", "first_ends_at"), ("second_starts_at", "second_ends_at"))

    first = AgentField(label=_("First agent"))
    first_starts_at = WallTimeField(label=_("First agent gives from"))
    first_ends_at = WallTimeField(label=_("First agent gives until"))
    second = AgentField(label=_("Second agent"))
    second_starts_at = WallTimeField(label=_("Second agent gives from"))
    second_ends_at = WallTimeField(label=_("Second agent gives until"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "swap_%s")  # on the page beside the override form
        super().__init__(*args, now=now, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.require_distinct("first", "second", _("A swap needs two different agents."))
        return cleaned


class PagingRotationForm(_NamedProblemsForm):
    """The rotation that takes pages (READING §5: exactly one)."""

    rotation = RotationField()
