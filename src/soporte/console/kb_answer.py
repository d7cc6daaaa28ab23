"""Answering with an article: the reply box's knowledge base search (an htmx partial). Each
result offers "Insert link", which puts the article's public address in the customer's
language into the reply (``static/console/kb.js``); sending the reply records the use
(``kb.uses``)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from soporte.accounts.models import Agent
from soporte.console.access import agent_required
from soporte.console.views import _ticket_for
from soporte.kb.search import MAX_QUERY
from soporte.kb.use_selectors import answer_links


class KbSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search the knowledge base"), max_length=MAX_QUERY, required=False
    )


@require_GET
@agent_required
def kb_search(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """Published articles in both languages matching ``q``; links in the requester's language.
    A query over the limit is a 400 naming the field."""
    ticket = _ticket_for(request, pk)
    form = KbSearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"].strip() if valid else ""
    language = ticket.requester.locale
    context = {
        "form": form,
        "query": query,
        "results": answer_links(query, language=language) if query else [],
        "language": language,
    }
    return render(request, "console/_kb_results.html", context, status=200 if valid else 400)
