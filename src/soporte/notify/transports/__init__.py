"""Outbox transports of the notifiers: one module per provider, each registered with
``@soporte.jobs.outbox.transport(name)`` when ``soporte.notify`` starts (``apps.py``).

- ``pagerduty``: PagerDuty's Events API v2 (trigger / acknowledge / resolve), plus the
  verification of PagerDuty's signed webhooks (v3) that bring acknowledgements back;
- ``webhook``: a JSON POST signed with HMAC-SHA256, carrying the outbox key as
  ``Idempotency-Key``;
- ``sms`` and ``voice``: Twilio's REST API (a text message; a call that reads a TwiML
  document);
- ``email`` lives in :mod:`soporte.jobs.outbox`; WhatsApp and Slack register from their
  channels' packages.

A transport raises :class:`~soporte.jobs.outbox.PermanentDeliveryError` when retrying cannot
help (the message fails at once, so a fallback can take over) and
:class:`~soporte.jobs.outbox.DeliveryError` otherwise (retried with the jobs' backoff).
"""
