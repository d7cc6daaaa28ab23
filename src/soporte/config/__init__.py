"""The Django project (settings, urls, wsgi) and the ``soporte`` command-line entry point."""
