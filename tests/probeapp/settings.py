"""The test settings: production's, plus the test-only ``probeapp``.

pytest uses them (pyproject.toml), and so do the real ``soporte`` processes the jobs tests
start (``tests/jobs/jobs_helpers.py`` puts ``tests/`` on their ``PYTHONPATH``).
"""

from soporte.config.settings import *  # noqa: F403
from soporte.config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "probeapp"]
