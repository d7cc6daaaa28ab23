"""The one-click acknowledge link of a page notification.

GET shows the page and a button, and what acknowledging still stops (the secondary's page, unless
it went out already); only the POST acknowledges, so a mail scanner that follows the link
acknowledges nothing. The signed token names the page and the person paged.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from soporte.escalation import services
from soporte.escalation.selectors import paged_secondaries


@require_http_methods(["GET", "POST"])
def acknowledge_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        page, agent = services.read_ack_token(token)
    except services.PageError as exc:
        return render(request, "escalation/acknowledge.html", {"error": str(exc)}, status=404)
    if request.method == "POST":
        try:
            page = services.acknowledge(page=page, agent=agent, via="link", at=timezone.now())
        except services.NotAllowed as exc:
            return render(request, "escalation/acknowledge.html", {"error": str(exc)}, status=403)
    context = {"page": page, "agent": agent, "secondaries": paged_secondaries(page)}
    return render(request, "escalation/acknowledge.html", context)
