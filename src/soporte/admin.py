"""What the Django admin may only look at (shared by every app's `admin.py`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class ViewOnly:
    """For a ``ModelAdmin`` or inline of rows the services own (a ticket's routing and clocks,
    pages, overrides): the admin shows them and never adds or changes one, since a change there
    would skip the rules (no clock recomputed, no timeline event). Change them in the console or
    the API."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
