"""Benchmarks for soporte (``make bench`` runs ``python -m bench``)."""
