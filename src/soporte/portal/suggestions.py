"""The new-ticket page's suggestions: while the customer types the subject, the published
articles that match it, in the contact's language, under the field (an htmx partial). The
partial also swaps in the suggestion session's token (``kb.deflection``), which the form sends
with the ticket."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from soporte.accounts.models import Contact, Language, language_of_code
from soporte.kb import deflection
from soporte.kb.models.uses import Where
from soporte.portal.access import contact_required
from soporte.portal.forms import SuggestForm


def language_of(contact: Contact) -> str:
    """The contact's language, else the page's."""
    if contact.locale in Language.values:
        return str(contact.locale)
    return language_of_code(translation.get_language())


@require_GET
@contact_required
def suggestions(request: HttpRequest, contact: Contact) -> HttpResponse:
    """A subject over 200 characters is a 400 naming the field; an empty one suggests nothing."""
    form = SuggestForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/_suggestions.html", {"form": form}, status=400)
    found = deflection.suggest(
        where=Where.PORTAL,
        contact=contact,
        query=form.cleaned_data["subject"],
        language=language_of(contact),
        token=form.cleaned_data["deflection"],
        now=timezone.now(),
    )
    return render(request, "portal/_suggestions.html", {"form": form, "found": found})
