"""Slack Connect: shared channels linked to organisations, whose messages become tickets and
whose threads carry the agents' replies (docs/channels-slack.md)."""
