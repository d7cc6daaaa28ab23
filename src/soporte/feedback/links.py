"""A survey's signed token and links: what the resolution message carries, so the survey opens
without signing in.

The token names the ticket and the survey and is signed with ``SECRET_KEY`` (Django's signing,
salted for surveys): a tampered token, or one whose survey is not on the ticket it names, finds
nothing. A link opens the survey page with one answer chosen (``?answer=up``); the page, not the
link, records it (READING.md §7: link scanners fetch, they do not act).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

from soporte.feedback import faces
from soporte.feedback.models import Answer, Survey
from soporte.public import public_url
from soporte.tickets.models import Ticket
from soporte.tickets.replies import SurveyChoice, SurveyInvite

_SIGNER = signing.Signer(salt="soporte.feedback.survey")


def token(survey: Survey) -> str:
    return _SIGNER.sign(f"{survey.ticket_id}-{survey.pk}")


def survey_for(value: str) -> Survey | None:
    """The survey ``value`` was made for, or None (tampered, unknown, or not that ticket's)."""
    try:
        ticket, _, pk = _SIGNER.unsign(value).partition("-")
        return Survey.objects.select_related("ticket", "contact").get(
            pk=int(pk), ticket=int(ticket)
        )
    except (signing.BadSignature, ValueError, Survey.DoesNotExist):
        return None


def url(survey: Survey, answer: str = "") -> str:
    """The survey page's absolute address, with ``answer`` chosen when given."""
    path = reverse("feedback:survey", args=[token(survey)])
    return public_url(f"{path}?{urlencode({'answer': answer})}" if answer else path)


def invite(ticket: Ticket, at: datetime) -> SurveyInvite | None:
    """The survey of ``ticket``'s resolution at ``at`` (``tickets.replies.SURVEY_INVITES``):
    its three links, labelled in the active language; None when none was sent."""
    survey = Survey.objects.filter(ticket=ticket, resolved_at=at, voided_at__isnull=True).first()
    if survey is None:
        return None
    return SurveyInvite(
        tuple(SurveyChoice(a, faces.label(a), url(survey, a)) for a in Answer.values)
    )
