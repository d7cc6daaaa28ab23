"""The forms of the console's article editor: they check shapes; the rules (free slug, one
translation per language) are the services', whose errors land on the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from soporte.accounts.models import Language
from soporte.kb.models import Category, Status
from soporte.kb.services import ArticleError


class ArticleForm(forms.Form):
    """An article's editor."""

    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.CharField(
        label=_("Slug"),
        max_length=200,
        required=False,
        help_text=_("The article's address; empty: made from the title."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    body = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "kb-body"}),
        strip=False,
    )

    def refuse(self, error: ArticleError) -> None:
        """Show the services' refusal on its field (or above the form)."""
        self.add_error(error.field if error.field in self.fields else None, str(error))


class NewArticleForm(ArticleForm):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    field_order = ["language", "title", "slug", "category", "body"]


class TranslationEditForm(ArticleForm):
    """A translation's editor: its box says it is up to date with the source's revision."""

    caught_up = forms.BooleanField(required=False)


class TranslateForm(ArticleForm):
    """A new translation: its category is its source's."""

    category = None  # type: ignore[assignment]


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Status.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any")), *Language.choices], required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("Any")
    )


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"))
    alt = forms.CharField(
        label=_("Description (for screen readers)"), max_length=200, required=False
    )
