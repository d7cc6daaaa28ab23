"""A changed answer and the weekly review: a survey saved as an item of a closed week, with no
disposition, reopens that week (``feedback.review.reopen_for``). A receiver, so every way an
answer is recorded (the survey page, the admin) is covered in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from soporte.feedback import review
from soporte.feedback.models import Survey


@receiver(post_save, sender=Survey, dispatch_uid="soporte.feedback.review_reopen")
def _reopen_week(sender: Any, *, instance: Survey, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.answer and instance.answered_at is not None:
        review.reopen_for(instance)
