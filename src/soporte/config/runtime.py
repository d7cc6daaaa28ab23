"""Setting Django up for command-line use."""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_MODULE = "soporte.config.settings"


def setup_django() -> None:
    """Configure Django (idempotent) and make sure the data directory exists."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.conf import settings

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
