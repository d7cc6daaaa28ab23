"""Pages under the Content-Security-Policy in Chromium: what once ran inline still works (the
session fixture fails any test whose pages had something refused)."""

from __future__ import annotations

from typing import Any

from e2e_helpers import NewSession
from playwright.sync_api import expect


def test_the_language_switch_sends_its_form_without_an_inline_handler(
    world: Any, new_session: NewSession
) -> None:
    page = new_session()
    page.goto("/login/")  # English: the browser asks for it
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_label("Language").select_option("es-mx")
    expect(page.get_by_role("button", name="Iniciar sesión")).to_be_visible()


def test_the_api_documentation_renders_under_the_policy(new_session: NewSession) -> None:
    page = new_session()
    page.goto("/api/docs")
    expect(page.get_by_role("heading", name="soporte API")).to_be_visible()
