"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live
server.

- The database: ``live_server`` implies ``transactional_db`` (the server runs in a thread and must
  see committed rows). On SQLite the test database is in memory and pytest-django hands the live
  server the test's own connection; on PostgreSQL the server thread opens its own connection to
  the test database. Each test starts from an empty database (flushed after the test).
- ``DJANGO_ALLOW_ASYNC_UNSAFE``: Playwright's sync API runs an asyncio event loop in the main
  thread (in a greenlet) while it is started, so Django sees a running loop and refuses the
  test's own ORM calls (``SynchronousOnlyOperation``), although nothing here is async: the ORM
  calls run in plain sync code between browser calls. The variable turns that check off. It is
  set only while a test's Playwright instance is running (the ``browser`` fixture), never for the
  rest of the suite, so other tests keep Django's protection. Playwright is started per test for
  the same reason: a session-wide instance would keep its loop "running" in the main thread
  while unrelated tests run in the same pytest-xdist worker.
- Django keeps connections in a context-local (asgiref ``Local``): while the Playwright loop is
  running, the test's ORM calls get their own connection, not the one pytest-django flushes and
  closes. The ``browser`` fixture closes it before stopping Playwright; otherwise, on PostgreSQL,
  it stays open and the test database cannot be dropped at the end of the run.
- Chromium: the system's (``/usr/bin/chromium``, or ``$SOPORTE_E2E_CHROMIUM``); Playwright never
  downloads a browser. A missing browser FAILS the tests (CI installs it, see ``.ci/run``).
- A failing test leaves a screenshot of every page it had open in ``tests/e2e/artifacts/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from e2e_helpers import TIME_ZONE, NewSession
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

CHROMIUM = os.environ.get("SOPORTE_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEFAULT_TIMEOUT_MS = 10_000

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures can see whether the test failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(autouse=True)
def _e2e_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser(live_server: Any) -> Iterator[Browser]:
    """Chromium, started for this test only (see the module docstring for why)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need it and must not be "
            "skipped. Install it (Debian: apt-get install chromium; .ci/run does) or point "
            "SOPORTE_E2E_CHROMIUM at a Chromium binary. Playwright must not download one.",
            pytrace=False,
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield chromium
            finally:
                chromium.close()
                connections.close_all()  # the test's own connections: see the docstring
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_session(
    browser: Browser, live_server: Any, request: pytest.FixtureRequest
) -> Generator[NewSession]:
    """Make a fresh browser session (its own cookies: one person each) and return its page.
    On failure every page is screenshotted into ``tests/e2e/artifacts/``. Anything the
    Content-Security-Policy refused (an inline script or style) fails the test."""
    contexts: list[BrowserContext] = []
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        # The pages' policy names 'self'; an attachment's own ("default-src 'none'; sandbox")
        # refuses the styles of the browser's built-in viewer, which is harmless.
        if "Content Security Policy" in message.text and "'self'" in message.text:
            refused.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def make() -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-US",
            timezone_id=TIME_ZONE,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.on("console", watch)
        contexts.append(context)
        return context.new_page()

    yield make

    reports = request.node.stash.get(_REPORTS, {})
    failed = any(r.failed for r in reports.values())
    try:
        if failed:
            _screenshots(request.node.name, contexts)
    finally:
        for context in contexts:
            context.close()
    assert refused == [], "the Content-Security-Policy refused what a page needed"


def _screenshots(test_name: str, contexts: list[BrowserContext]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
    for i, context in enumerate(contexts, start=1):
        for j, page in enumerate(context.pages, start=1):
            path = ARTIFACTS / f"{stem}-session{i}-page{j}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"screenshot of {page.url} failed: {exc}")
            else:
                print(f"screenshot: {path} ({page.url})")
