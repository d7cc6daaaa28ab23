"""The feedback loop's records."""
