"""Layout in Chromium: the portal on a 390 px phone, focus after a server-side form error, and
the intake list's numbers beside their questions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_helpers import NewSession, fits_width, open_new_ticket_form, sign_in
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}


def inside_viewport(page: Page, selector: str) -> None:
    """The element's box lies wholly within the viewport's width (nothing to scroll to)."""
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not rendered"
    assert box["x"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= PHONE["width"], (selector, box)


@pytest.mark.parametrize("lang", ["en", "es-mx"])
def test_the_portal_header_fits_a_390px_phone(
    world: Any, new_session: NewSession, lang: str
) -> None:
    contact = world.contacts["enterprise"]
    page = new_session()
    sign_in(page, contact.email, lands_on="/portal/")
    page.set_viewport_size(PHONE)
    page.goto(f"/portal/?lang={lang}")
    sign_out = page.locator("header .signout button")
    expect(sign_out).to_be_visible()
    inside_viewport(page, "header .signout button")
    inside_viewport(page, "header .lang select")
    fits_width(page, PHONE["width"])


def test_a_server_side_form_error_moves_focus_to_the_errors(
    world: Any, new_session: NewSession
) -> None:
    page = new_session()
    sign_in(page, world.contacts["pro"].email, lands_on="/portal/")
    open_new_ticket_form(page)
    page.get_by_role("button", name="Send ticket").click()  # nothing filled in
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Please check the fields marked below.")
    expect(summary).to_be_focused()


def test_the_seventh_question_s_number_sits_by_its_question(
    world: Any, new_session: NewSession
) -> None:
    page = new_session()
    sign_in(page, world.contacts["pro"].email, lands_on="/portal/")
    open_new_ticket_form(page)
    item = page.locator("ol.intake > li").nth(6)
    question = item.locator("legend")
    expect(question).to_have_text(re.compile(r"^\s*7\. Is it still happening\?"))
    question_box = question.bounding_box()
    radio_box = item.locator("input[type=radio]").first.bounding_box()
    assert question_box is not None
    assert radio_box is not None
    assert question_box["y"] + question_box["height"] <= radio_box["y"]  # above, not beside
    marker = item.evaluate("e => getComputedStyle(e).listStyleType")
    assert marker == "none"  # no second number beside the first radio button
