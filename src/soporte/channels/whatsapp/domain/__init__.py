"""The WhatsApp Cloud API's rules, pure (no Django, no clock): the webhook's signature and
verification challenge, its payload, the 24-hour window, the conversation rule, and the
messages we send."""
