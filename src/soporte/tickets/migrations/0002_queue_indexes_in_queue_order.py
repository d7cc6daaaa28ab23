"""The queue indexes in the queue's whole order: ``next_due_at``, then ``opened_at`` and ``id``.

A queue part (one tier or assignee, one status) is then read in index order and stopped after
one page, with no sort, also among tickets without a running clock (``next_due_at`` null),
which the queue orders by ``opened_at``. Index-only: no data changes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_signinattempt"),
        ("tickets", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="ticket", name="ticket_queue"),
        migrations.RemoveIndex(model_name="ticket", name="ticket_mine"),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["tier", "status", "next_due_at", "opened_at", "id"], name="ticket_queue"
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["assignee", "status", "next_due_at", "opened_at", "id"], name="ticket_mine"
            ),
        ),
    ]
