"""Migrate the peer's fresh database and seed it: ``python -m bench.peers.helpdesk.seed``.

Prints (JSON) the agent's API token and the queue that the load generator opens tickets in.
"""

import json

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from helpdesk.models import Queue  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

call_command("migrate", verbosity=0)
queue = Queue.objects.create(
    title="Support", slug="support", email_address="support@helpdesk.example"
)
# The ticket API lets staff in (IsAdminUser): an integration account, as soporte's bench uses.
agent = get_user_model().objects.create_user(
    "intake-bot", "intake-bot@bench.example", is_staff=True
)
print(json.dumps({"token": Token.objects.create(user=agent).key, "queue": queue.pk}))
