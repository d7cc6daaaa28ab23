"""Who may use the console: signed-in agents only (a contact gets 403, anonymous the sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, reverse
from django_htmx.http import HttpResponseClientRedirect

from soporte.accounts.models import Agent
from soporte.tickets.selectors import agent_of

P = ParamSpec("P")

AgentView = Callable[Concatenate[HttpRequest, Agent, P], HttpResponseBase]
RequestView = Callable[Concatenate[HttpRequest, P], HttpResponseBase]

FALLBACK_LOGIN_URL = "/login/"
"""Where agents sign in (the sign-in page is served by the accounts app)."""


def login_url() -> str:
    try:
        return reverse("login")
    except NoReverseMatch:
        return FALLBACK_LOGIN_URL


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def agent_required(view: AgentView[P]) -> RequestView[P]:
    """Call ``view(request, agent, ...)`` for a signed-in agent; anyone else is turned away."""

    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            target = redirect_to_login(request.get_full_path(), login_url=login_url())
            if is_htmx(request):  # a poll after the session ended: reload the whole page
                return HttpResponseClientRedirect(target["Location"])
            return target
        agent = agent_of(request.user)
        if agent is None:
            raise PermissionDenied
        return view(request, agent, *args, **kwargs)

    update_wrapper(wrapped, view)
    return wrapped


def may_open_queue(agent: Agent, tier: str) -> bool:
    """Agents open their tier's queue and those below (what they can see); leads every queue."""
    return agent.sees_every_queue or tier <= agent.tier
