"""The reports page in Chromium: a lead opens it from the console's navigation, every chart is
drawn on a canvas of non-zero size (the heat map is its colour-scaled table), the console logs no
error, and every request the page makes stays on the desk's own host (no CDN)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from e2e_helpers import NewSession, sign_in
from playwright.sync_api import ConsoleMessage, Response, expect

from reports.people_factory import page, survey, ticket
from soporte.reports.catalog import reports

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`


def test_the_lead_sees_every_chart_drawn_from_the_desk_alone(
    world: Any, new_session: NewSession, live_server: Any
) -> None:
    now = timezone.now()
    on = ticket(world, at=now - timedelta(days=3), channel="chat")
    survey(world, on, sent=now - timedelta(days=2), answer="up", channel="chat")
    survey(world, on, sent=now - timedelta(days=1), answer="neutral", tier="T2", agent="t2")
    t3 = world.agents["t3"]
    page(
        on,
        opened=now - timedelta(days=2),
        acknowledged=timedelta(minutes=4),
        by=t3,
        notified=((t3, timedelta(0), "primary"),),
    )

    browser_page = new_session()
    requests: list[str] = []
    errors: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    browser_page.on("pageerror", lambda error: errors.append(str(error)))

    failed: list[str] = []

    def console(message: ConsoleMessage) -> None:
        # a failed load is checked by its response below (the browser asks for /favicon.ico)
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def response(answer: Response) -> None:
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):
            failed.append(f"{answer.status} {answer.url}")

    browser_page.on("console", console)
    browser_page.on("response", response)
    browser_page.emulate_media(reduced_motion="reduce")
    sign_in(browser_page, world.agents["lead1"].email, lands_on="/console/all")
    browser_page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    expect(browser_page.get_by_role("heading", name="Reports", level=1)).to_be_visible()

    charts = browser_page.locator("canvas[data-chart]")
    drawn = browser_page.locator("canvas[data-drawn]")
    expect(drawn).to_have_count(charts.count())
    heat = browser_page.locator("table.heatmap")
    assert heat.count() >= 1
    assert charts.count() + heat.count() == len(reports())  # a heat map is a table, no canvas
    for at in range(charts.count()):
        box = charts.nth(at).bounding_box()
        assert box is not None
        assert box["width"] > 0
        assert box["height"] > 0
    expect(heat.locator("td.heat-5").first).to_be_visible()  # the hottest cell, darkest

    browser_page.get_by_label("Period").select_option("this_quarter")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Show").click()
    assert "period=this_quarter" in browser_page.url
    expect(browser_page.locator("canvas[data-drawn]")).to_have_count(charts.count())

    host = urlsplit(live_server.url).netloc
    assert requests, "the page made requests"
    assert [url for url in requests if urlsplit(url).netloc != host] == []
    assert any(url.endswith("chart.umd.min.js") for url in requests)
    assert errors == []
    assert failed == []
