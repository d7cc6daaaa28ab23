from django.db import models


class ProbeEffect(models.Model):
    """The effect row written by the ``probe`` handler (:mod:`probeapp.probe`).

    ``key`` is deliberately *not* unique, so a duplicate run would show up as two rows instead
    of being hidden by a constraint.
    """

    key = models.CharField(max_length=255, db_index=True)
    worker = models.CharField(max_length=200)
    attempt = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key} by {self.worker}"
