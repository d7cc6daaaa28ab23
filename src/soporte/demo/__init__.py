"""Demo data for a laptop: ``soporte demo [--reset]`` and ``soporte serve --demo``."""
