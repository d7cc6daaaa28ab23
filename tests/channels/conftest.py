"""The channels' tests share the real SMTP server fixture (``smtp_server.py``)."""

from channels.smtp_server import smtp_server

__all__ = ["smtp_server"]
