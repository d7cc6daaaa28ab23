"""The pinned FAQs in the console: per locale, the pinned list (order, last week seen) and a
form to pin an article by hand, the rule's pending proposals (the weeks that triggered them,
sample tickets, the pin they would replace) with Accept and Reject, and the log of changes.
Leads, the founder, the CTO and admins; other agents get 403. Each action posts and comes back
to the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from soporte.accounts.models import Agent
from soporte.console.access import agent_required
from soporte.console.views import _chrome
from soporte.kb import faq, faq_selectors
from soporte.kb.models import PinnedFaq, PinProposal
from soporte.kb.selectors import published
from soporte.policy import default_policy

REFUSALS = {
    "article": gettext_lazy("Choose a published article in the proposal's language."),
    "proposal": gettext_lazy("This proposal was already decided."),
    "reason": gettext_lazy("Say why the proposal is rejected."),
    "pin": gettext_lazy("That FAQ is no longer pinned."),
    "pinned": gettext_lazy("That article is already pinned."),
    "published": gettext_lazy("Choose a published article in this language."),
    "place": gettext_lazy("Choose a place on the list."),
    "full": gettext_lazy("The list is full: unpin a FAQ before pinning another."),
}


def _manager(agent: Agent) -> None:
    if not faq_selectors.may_manage(agent):
        raise PermissionDenied


@require_GET
@agent_required
def board(request: HttpRequest, agent: Agent) -> HttpResponseBase:
    return _render(request, agent)


@require_POST
@agent_required
def accept(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    """Pin the proposal's article, or the article the lead chose."""
    _manager(agent)
    proposal = get_object_or_404(PinProposal.objects.select_related("article"), pk=pk)
    chosen = request.POST.get("article", "")
    article = None
    if chosen:
        article = (
            published(proposal.language).filter(pk=chosen).first() if chosen.isdigit() else None
        )
        if article is None:
            return _refused(request, agent, "article")
    try:
        faq.accept(proposal=proposal, lead=agent, article=article, now=timezone.now())
    except faq.FaqError as exc:
        return _refused(request, agent, exc.code)
    messages.success(request, _("Pinned."))
    return redirect("console:kb_faq")


@require_POST
@agent_required
def reject(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    _manager(agent)
    proposal = get_object_or_404(PinProposal, pk=pk)
    try:
        faq.reject(
            proposal=proposal, lead=agent, reason=request.POST.get("reason", ""), now=timezone.now()
        )
    except faq.FaqError as exc:
        return _refused(request, agent, exc.code)
    messages.success(request, _("Proposal rejected."))
    return redirect("console:kb_faq")


@require_POST
@agent_required
def pin(request: HttpRequest, agent: Agent, language: str) -> HttpResponseBase:
    """Pin a published article of ``language`` by hand at the place chosen."""
    _manager(agent)
    if language not in default_policy().kb.locales:
        raise Http404
    chosen, place = request.POST.get("article", ""), request.POST.get("place", "")
    article = published(language).filter(pk=chosen).first() if chosen.isdigit() else None
    if article is None:
        return _refused(request, agent, "published")
    if not place.isdigit() or int(place) < 1:
        return _refused(request, agent, "place")
    try:
        faq.pin(article=article, lead=agent, place=int(place), now=timezone.now())
    except faq.FaqError as exc:
        return _refused(request, agent, exc.code)
    messages.success(request, _("Pinned."))
    return redirect("console:kb_faq")


@require_POST
@agent_required
def unpin(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    _manager(agent)
    try:
        faq.unpin(pin=get_object_or_404(PinnedFaq, pk=pk), lead=agent, now=timezone.now())
    except faq.FaqError as exc:
        return _refused(request, agent, exc.code)
    messages.success(request, _("Unpinned."))
    return redirect("console:kb_faq")


@require_POST
@agent_required
def move(request: HttpRequest, agent: Agent, pk: int) -> HttpResponseBase:
    _manager(agent)
    pin = get_object_or_404(PinnedFaq, pk=pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        faq.move(pin=pin, lead=agent, step=step, now=timezone.now())
    except faq.FaqError as exc:
        return _refused(request, agent, exc.code)
    return redirect("console:kb_faq")


def _refused(request: HttpRequest, agent: Agent, code: str) -> HttpResponseBase:
    messages.error(request, str(REFUSALS[code]))
    return _render(request, agent, status=400)


def _render(request: HttpRequest, agent: Agent, *, status: int = 200) -> HttpResponseBase:
    _manager(agent)
    boards = [faq_selectors.board(agent, language) for language in default_policy().kb.locales]
    context = {**_chrome(agent, active="kb_faq"), "boards": boards}
    return render(request, "console/kb_faq.html", context, status=status)
