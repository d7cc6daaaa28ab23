"""Lean database access for the hot paths: querysets compiled once (``Prepared``) and
multi-row inserts that skip the ORM's per-statement compile (``insert``)."""
