"""The emergency line's pure rules: Twilio's request signature and the parameters of its
webhooks (no Django)."""
