"""A survey's signed token: what its links carry, so they work without signing in.

The token names the ticket and the survey and is signed with ``SECRET_KEY`` (Django's signing,
salted for surveys): a tampered token, or one whose survey is not on the ticket it names, finds
nothing.
"""

from __future__ import annotations

from django.core import signing

from soporte.feedback.models import Survey
from soporte.public import public_url

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


PAGE = "/csat/"
"""Where the survey page lives (``feedback.urls``): ``/csat/<token>``."""


def page_url(survey: Survey) -> str:
    """The survey page's full address: where the customer adds a comment or changes the
    answer."""
    return public_url(f"{PAGE}{token(survey)}")
