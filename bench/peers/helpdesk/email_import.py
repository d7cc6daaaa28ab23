"""The peer's email import, for the email ingest bench (``bench.mail``), in the peer's venv.

- ``python -m bench.peers.helpdesk.email_import seed DIR``: migrate a fresh database and make
  the queue that django-helpdesk's ``get_email`` reads ``DIR`` into: ``email_box_type`` ``local``,
  ``email_box_local_dir`` ``DIR``, ``allow_email_submission`` on (``process_email`` polls only
  such queues), ``email_box_interval`` 0 (the default, 5 minutes, would skip a queue checked
  within the last 5 minutes), logging off, and the support address as its ``email_address`` (a
  message's ``To`` that is not the queue's own address is subscribed as a CC of its ticket).
  Each sender (JSON list of ``{"email", "name"}`` on stdin) gets a user account, as soporte's
  contacts have: ``get_email`` looks the sender's user up for every message.
- ``python -m bench.peers.helpdesk.email_import verify``: for the Message-IDs on stdin, the
  ticket each one's follow-up landed on, and the counts of tickets, follow-ups, attachments and
  follow-ups whose notification email was sent (JSON on stdout).
"""

import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from helpdesk.models import FollowUp, FollowUpAttachment, Queue, Ticket  # noqa: E402

SUPPORT_ADDRESS = "soporte@trackmyvend.com"


def seed(folder: str) -> dict[str, int]:
    call_command("migrate", verbosity=0)
    queue = Queue.objects.create(
        title="Soporte",
        slug="soporte",
        email_address=SUPPORT_ADDRESS,
        allow_email_submission=True,
        email_box_type="local",
        email_box_local_dir=folder,
        email_box_interval=0,
        logging_type="none",
    )
    users = get_user_model().objects
    for sender in json.load(sys.stdin):
        users.create_user(sender["email"], sender["email"], first_name=sender["name"][:150])
    return {"queue": queue.pk, "users": users.count()}


def verify() -> dict[str, object]:
    ids = json.load(sys.stdin)
    found: dict[str, int] = {}
    for lo in range(0, len(ids), 500):
        rows = FollowUp.objects.filter(message_id__in=ids[lo : lo + 500])
        found.update(rows.values_list("message_id", "ticket_id"))
    return {
        "found": found,
        "tickets": Ticket.objects.count(),
        "followups": FollowUp.objects.count(),
        "attachments": FollowUpAttachment.objects.count(),
        "emailed": sum(1 for r in FollowUp.objects.values_list("email_recipients", flat=True) if r),
    }


if __name__ == "__main__":
    verb = sys.argv[1]
    print(json.dumps(seed(sys.argv[2]) if verb == "seed" else verify()))
