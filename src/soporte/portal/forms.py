"""The portal's forms: a new ticket (the seven intake fields) and a reply."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from soporte.kb.search import MAX_QUERY
from soporte.text import is_blank, one_line
from soporte.tickets import attachments
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import Severity

ACCEPT = "image/png,image/jpeg,image/gif,image/webp,video/mp4,video/webm"

SEVERITY_HELP: dict[str, Promise] = {
    Severity.P0: _(
        "Nobody can use TrackMyVend: the app or the dashboard does not load for anyone, or no "
        "machine reports anything."
    ),
    Severity.P1: _(
        "Something you rely on every day does not work and there is no way around it: sales "
        "are not recorded, you cannot register a machine, the dashboard totals are wrong."
    ),
    Severity.P2: _(
        "A secondary feature does not work, but you can keep operating: an export, a report or "
        "a filter fails, a notification does not arrive."
    ),
    Severity.P3: _(
        "Cosmetic: a typo, a misaligned screen, a wrong colour or label. Nothing stops you "
        "from working."
    ),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several screenshots or recordings; each is checked like the tickets app will store it
    (type sniffed from the bytes, size limited), so a bad file is named on the form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(MultipleFileField, self).clean(f, initial) for f in files]
        files = [f for f in files if f]
        errors = []
        for upload in files:
            try:
                attachments.check(upload)
            except attachments.AttachmentRejected as exc:
                errors.append(forms.ValidationError(str(exc), code="rejected"))
        if errors:
            raise forms.ValidationError(errors)
        try:
            attachments.check_message(files)  # the message's quota: files and bytes
        except attachments.AttachmentRejected as exc:
            raise forms.ValidationError(str(exc), code="quota") from None
        return files


SUGGEST_AS_TYPED = {
    "hx-get": reverse_lazy("portal:suggestions"),
    "hx-trigger": "input changed delay:300ms",
    "hx-target": "#kb-suggestions",
    "hx-include": "#id_deflection",
    "hx-sync": "this:replace",
    "aria-controls": "kb-suggestions",
    "autocomplete": "off",
}
"""The subject asks for matching articles as it is typed (htmx; without JS nothing happens)."""


class NewTicketForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("One line: what is wrong and where."),
        widget=forms.TextInput(attrs=SUGGEST_AS_TYPED),
    )
    deflection = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    """The suggestion session's token (``kb.deflection``): filing the ticket closes it."""
    severity = forms.ChoiceField(
        label=_("How bad is it?"),
        choices=Severity.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )
    organisation_id = forms.CharField(
        label=_("Your organisation ID"),
        max_length=64,
        required=False,
        help_text=_("Visible in Settings → Account or at the bottom of the dashboard."),
    )
    screenshots = MultipleFileField(
        label=_("Screenshots or screen recordings"),
        help_text=_("PNG, JPEG, GIF, WebP, MP4 or WebM; you can choose several files."),
    )
    url = forms.CharField(
        label=_("The URL you were on"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "https://app.trackmyvend.com/…"}),
    )
    expected = forms.CharField(
        label=_("What did you expect to happen?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    actual = forms.CharField(
        label=_("What actually happened?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    browser_os = forms.CharField(
        label=_("Browser and operating system"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Chrome 123 on Windows")}),
    )
    started_at = forms.CharField(
        label=_("When did it start?"),
        max_length=55,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. today around 14:30")}),
    )
    started_zone = forms.CharField(
        label=_("Time zone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "America/Mexico_City"}),
    )
    still_happening = forms.ChoiceField(
        label=_("Is it still happening?"),
        choices=[
            ("yes", _("Yes, it is still happening")),
            ("no", _("No, it resolved itself")),
            ("", _("Not sure")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_subject(self) -> str:
        """One line; spaces and invisible characters alone are no subject."""
        subject = one_line(self.cleaned_data["subject"])
        if not subject:
            raise forms.ValidationError(self.fields["subject"].error_messages["required"])
        return subject

    def clean_description(self) -> str:
        description: str = self.cleaned_data["description"]
        if is_blank(description):
            raise forms.ValidationError(self.fields["description"].error_messages["required"])
        return description

    def severity_options(self) -> list[tuple[Any, Promise]]:
        """Each severity radio button with its plain-language explanation."""
        return [(radio, SEVERITY_HELP[radio.data["value"]]) for radio in self["severity"]]

    def intake(self, *, default_zone: str = "") -> Intake:
        """The seven fields as the tickets app takes them (the screenshot: the uploads).
        A start time given without a zone is read in ``default_zone`` (the contact's)."""
        data = self.cleaned_data
        started = data["started_at"].strip()
        zone = data["started_zone"].strip() or default_zone
        return Intake(
            organisation_id=data["organisation_id"].strip(),
            has_screenshot=bool(data["screenshots"]),
            url=data["url"].strip(),
            expected=data["expected"].strip(),
            actual=data["actual"].strip(),
            browser_os=data["browser_os"].strip(),
            started_at=f"{started} ({zone})" if started and zone else started,
            still_happening=data["still_happening"],
        )


class SuggestForm(forms.Form):
    """What the subject's suggestions are asked with: the subject so far and the session."""

    subject = forms.CharField(label=_("Subject"), max_length=MAX_QUERY, required=False)
    deflection = forms.CharField(required=False, max_length=200)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
    )
    uploads = MultipleFileField(label=_("Attach screenshots or recordings"))
