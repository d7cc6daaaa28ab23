"""Telling people: in-console notifications and the messages that go out through the outbox."""
