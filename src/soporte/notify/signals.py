"""Signals of the notifiers, for the apps that act on what providers report back.

``pagerduty_incident`` is sent once per PagerDuty webhook event (deduplicated on the event's
id) that reports an incident ``incident.acknowledged`` or ``incident.resolved``. It is sent by
the job ``notify.pagerduty_webhook`` (queued by ``POST /hooks/pagerduty``), inside the job's
transaction: a receiver's writes commit with it, and a receiver that raises rolls them back and
has the job retried with backoff. Receivers must take ``**kwargs``; the arguments are

- ``event_type``: ``"incident.acknowledged"`` or ``"incident.resolved"``;
- ``dedup_key``: the incident's key (the ``dedup_key`` soporte sent with the trigger), or
  ``None`` if the event did not carry it;
- ``agent_email``: who acted, when PagerDuty says (often it gives only a name), else ``None``;
- ``occurred_at``: an aware UTC datetime, or ``None`` if missing or unreadable: what PagerDuty
  says, kept as data (a sender's clock, or a forged date, is not ours to record as fact);
- ``received_at``: when soporte received the delivery (an aware UTC datetime): the time to act on;
- ``event_id``: PagerDuty's event id;
- also ``agent_name`` and ``incident_id`` (PagerDuty's), each possibly ``None``;
- ``now``: the job's time (when soporte handles the event).
"""

from __future__ import annotations

from django.dispatch import Signal

pagerduty_incident = Signal()
