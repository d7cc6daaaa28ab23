"""The agent console: tier queues with live SLA countdowns, the ticket page and its actions."""
