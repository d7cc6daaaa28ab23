"""Count what the given tickets (ids, JSON on stdin) committed in the peer's database:
``python -m bench.peers.helpdesk.verify``."""

import json
import sys

import django

django.setup()

from helpdesk.models import FollowUp, Ticket  # noqa: E402

ids = json.load(sys.stdin)
out = dict.fromkeys(["tickets", "followups", "emailed"], 0)
for lo in range(0, len(ids), 500):
    chunk = ids[lo : lo + 500]
    out["tickets"] += Ticket.objects.filter(pk__in=chunk).count()
    followups = FollowUp.objects.filter(ticket_id__in=chunk)
    out["followups"] += followups.count()
    # The opening follow-up records whom the new-ticket email went to.
    out["emailed"] += sum(1 for r in followups.values_list("email_recipients", flat=True) if r)
print(json.dumps(out))
