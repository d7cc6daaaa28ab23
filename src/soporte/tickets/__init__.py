"""Tickets: intake, conversation, statuses, tier routing and the timeline of everything."""
