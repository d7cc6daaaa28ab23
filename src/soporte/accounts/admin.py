from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from soporte.accounts.models import Agent, ApiToken, Contact, EmailDomain, Organisation
from soporte.accounts.services import DomainRefused, csm_error, email_domain


class OrganisationForm(forms.ModelForm[Organisation]):
    """Refuses an Enterprise organisation without a named CSM (READING.md §3)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plan = data.get("plan")  # absent when the plan itself is invalid
        error = csm_error(plan=plan, csm=data.get("csm")) if plan else None
        if error is not None:
            self.add_error("csm", error)
        return data


class EmailDomainForm(forms.ModelForm[EmailDomain]):
    """Keeps a domain in the form senders' addresses are matched in; refuses what is not a
    domain or is a public mailbox provider's."""

    def clean_domain(self) -> str:
        try:
            return email_domain(self.cleaned_data["domain"])
        except DomainRefused as exc:
            raise forms.ValidationError(str(exc)) from None


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    form = OrganisationForm
    list_display = ["name", "plan", "id", "csm", "locale"]
    list_filter = ["plan"]
    search_fields = ["name", "id"]


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin[EmailDomain]):
    form = EmailDomainForm
    list_display = ["domain", "organisation"]
    search_fields = ["domain", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ["name", "email", "organisation", "locale", "bounced_at"]
    search_fields = ["name", "user__email", "organisation__name"]
    list_select_related = ["organisation", "user"]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin[Agent]):
    list_display = ["name", "email", "tier", "role", "kind"]
    list_filter = ["tier", "role", "kind"]
    search_fields = ["name", "user__email"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "agent", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]

    # New tokens are made with `soporte token create`, which shows the secret once.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
