"""The knowledge base's editor in Chromium: an agent writes an article, sees its preview
rendered (htmx), publishes it, and anyone reads it at ``/kb/es/<slug>`` without signing in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_helpers import NewSession, sign_in
from playwright.sync_api import expect

from soporte.kb.models import Article, Category, Status

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`


def test_an_agent_writes_previews_and_publishes_an_article(
    world: Any, new_session: NewSession
) -> None:
    Category.objects.create(
        name_es="Máquinas", name_en="Machines", slug_es="maquinas", slug_en="machines"
    )
    page = new_session()
    sign_in(page, world.agents["t1"].email, lands_on="/console/queue/T1")
    page.get_by_role("navigation").get_by_role("link", name="Knowledge base").click()
    page.get_by_role("link", name="New article").click()

    page.locator("main").get_by_label("Language").select_option("es")
    page.get_by_label("Title").fill("Cambiar el precio de un producto")
    page.get_by_label("Category").select_option(label="Máquinas")
    page.get_by_label("Text (Markdown)").fill(
        "En **Productos**, elige el producto y escribe el *precio nuevo*."
    )
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#kb-preview")
    expect(preview.locator("strong")).to_have_text("Productos")
    expect(preview.locator("em")).to_have_text("precio nuevo")

    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_url(re.compile(r"/console/kb/\d+$"))
    expect(page.locator("#kb-status")).to_have_text("Draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#kb-status")).to_have_text("Published")
    article = Article.objects.get()
    assert (article.status, article.slug) == (Status.PUBLISHED, "cambiar-el-precio-de-un-producto")

    reader = new_session()
    reader.goto("/kb/es/cambiar-el-precio-de-un-producto")
    expect(reader.locator("strong", has_text="Productos")).to_be_visible()
    expect(reader.get_by_text("Cambiar el precio de un producto").first).to_be_visible()
