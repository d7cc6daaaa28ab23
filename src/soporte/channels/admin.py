"""The channels' admin pages, one module per channel (Django's admin looks for them here)."""

from soporte.channels.slack import admin as slack  # noqa: F401 - registers its pages
