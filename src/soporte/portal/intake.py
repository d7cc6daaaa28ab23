"""The seven intake fields of a stored ticket, and the labels of those still missing."""

from __future__ import annotations

from django.utils.functional import Promise

from soporte.tickets.acknowledgement import FIELD_LABELS
from soporte.tickets.domain.intake import Intake
from soporte.tickets.models import MessageKind, Ticket


def intake_of(ticket: Ticket) -> Intake:
    """What the customer gave on ``ticket`` (the screenshot: whether it has an attachment
    that is not on an internal note)."""
    has_screenshot = ticket.attachments.exclude(message__kind=MessageKind.INTERNAL).exists()
    return ticket.intake(has_screenshot=has_screenshot)


def missing_labels(ticket: Ticket) -> list[Promise]:
    """The labels of the intake fields ``ticket`` still lacks, in the policy's order."""
    return [FIELD_LABELS[field] for field in intake_of(ticket).missing()]
