"""The multi-process page tests reuse the jobs tests' database helpers, the notifier tests'
fake PagerDuty and the emergency line's fake Twilio (their folders hold plain modules, not
packages)."""

from __future__ import annotations

import sys
from pathlib import Path

for folder in ("jobs", "notify", "channels/voice"):
    path = str(Path(__file__).resolve().parent.parent / folder)
    if path not in sys.path:
        sys.path.insert(0, path)
