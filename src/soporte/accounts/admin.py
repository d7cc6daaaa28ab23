from django.contrib import admin
from django.http import HttpRequest

from soporte.accounts.models import Agent, ApiToken, Contact, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "plan", "id", "csm", "locale"]
    list_filter = ["plan"]
    search_fields = ["name", "id"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ["name", "email", "organisation", "locale"]
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
