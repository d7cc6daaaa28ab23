"""Peer help desks that the benchmarks run side by side with soporte, each in its own venv."""
