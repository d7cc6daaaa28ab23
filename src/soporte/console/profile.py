"""An agent's own profile: how pages and CSM notices reach them (their contact methods).
Admins edit anyone's in the Django admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from soporte.accounts import services as accounts
from soporte.accounts.models import Agent
from soporte.console.access import agent_required
from soporte.console.views import _chrome


class ContactMethodsForm(forms.ModelForm[Agent]):
    class Meta:
        model = Agent
        fields = list(accounts.CONTACT_METHODS)


@agent_required
def profile(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    form = ContactMethodsForm(request.POST or None, instance=Agent.objects.get(pk=agent.pk))
    if request.method == "POST" and form.is_valid():
        methods = {name: str(form.cleaned_data[name]) for name in accounts.CONTACT_METHODS}
        try:
            accounts.set_contact_methods(agent=agent, **methods)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your contact methods were saved."))
            return redirect("console:profile")
    context: dict[str, Any] = {**_chrome(agent, active="profile"), "form": form}
    return render(request, "console/profile.html", context, status=400 if form.errors else 200)
