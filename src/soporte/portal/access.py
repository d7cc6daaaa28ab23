"""Who may use the portal: signed-in contacts, in their own time zone.

Anonymous visitors go to the sign-in page; agents are sent to the console; any other account
gets 403. Inside, the contact's time zone is active, so dates read as the contact's clock.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from soporte.accounts.models import Contact
from soporte.accounts.signin import CONSOLE_HOME
from soporte.tickets.selectors import agent_of, contact_of

P = ParamSpec("P")

ContactView = Callable[Concatenate[HttpRequest, Contact, P], HttpResponse]
RequestView = Callable[Concatenate[HttpRequest, P], HttpResponse]


def zone_of(contact: Contact) -> ZoneInfo:
    try:
        return ZoneInfo(contact.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("America/Mexico_City")


def contact_required(view: ContactView[P]) -> RequestView[P]:
    """Call ``view(request, contact, ...)`` for a signed-in contact."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        contact = contact_of(request.user)
        if contact is None:
            if agent_of(request.user) is not None:
                return redirect(CONSOLE_HOME)
            raise PermissionDenied
        with timezone.override(zone_of(contact)):
            return view(request, contact, *args, **kwargs)

    update_wrapper(wrapper, view)
    return wrapper
