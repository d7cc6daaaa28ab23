"""The labels of the intake fields a stored ticket still lacks."""

from __future__ import annotations

from django.utils.functional import Promise

from soporte.tickets.acknowledgement import FIELD_LABELS
from soporte.tickets.models import Ticket
from soporte.tickets.selectors import intake_of


def missing_labels(ticket: Ticket) -> list[Promise]:
    """The labels of the intake fields ``ticket`` still lacks, in the policy's order."""
    return [FIELD_LABELS[field] for field in intake_of(ticket).missing()]
