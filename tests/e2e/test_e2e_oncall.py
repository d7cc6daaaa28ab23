"""The on-call page in Chromium: a lead adds an override and sees it in the week."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from e2e_helpers import LANG, NewSession, sign_in
from playwright.sync_api import expect

from soporte.dates import short_when
from soporte.oncall.models import Override
from soporte.oncall.services import create_rotation

pytestmark = pytest.mark.slow  # starts a browser: left out by `make test-fast`


def test_a_lead_adds_an_override_and_sees_it_in_the_week(
    world: Any, new_session: NewSession
) -> None:
    rotation = create_rotation(
        name="Plataforma", members=[world.agents["t3"], world.agents["lead3"]], now=timezone.now()
    )
    zone = ZoneInfo(rotation.zone)
    start = (
        (timezone.now() + timedelta(days=1))
        .astimezone(zone)
        .replace(hour=12, minute=0, second=0, microsecond=0)
    )
    end = start + timedelta(hours=6)

    page = new_session()
    sign_in(page, world.agents["lead1"].email, lands_on="/console/all")
    page.get_by_role("navigation").get_by_role("link", name="On call").click()
    expect(page).to_have_url(re.compile(r"/console/oncall/$"))
    rotation_card = page.locator(f"#rotation-{rotation.pk}")
    expect(rotation_card.locator(".primary-now")).to_have_text("T3")
    expect(rotation_card.locator(".secondary-now")).to_have_text("LEAD3")

    form = page.locator("#override-form")
    form.get_by_label("Rotation").select_option(label=f"Plataforma ({rotation.zone})")
    form.get_by_label("Role").select_option(label="Primary")
    form.get_by_label("Covering agent").select_option(label="T1 (T1)")
    form.get_by_label("Covering for (optional)").select_option(label="T3 (T3)")
    form.get_by_label("Start").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("End").fill(end.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Reason").fill("T3 at the dentist")
    form.get_by_role("button", name="Add override").click()

    expect(page).to_have_url(re.compile(r"/console/oncall/$"))
    expect(page.locator("ul.messages")).to_contain_text("Override added: T1 covers Plataforma.")
    override = Override.objects.get()
    assert (override.starts_at, override.ends_at) == (start, end)
    with translation.override(LANG):
        words = [short_when(timezone.localtime(m)) for m in (start, end)]
    stretch = rotation_card.locator("table.oncall-week tr", has=page.locator("td.overridden"))
    expect(stretch).to_have_count(1)  # the override's six hours, marked
    expect(stretch.locator("td").nth(0)).to_have_text(words[0])
    expect(stretch.locator("td").nth(1)).to_have_text(words[1])
    expect(stretch.locator("td.overridden")).to_have_text("T1 override")
    expect(page.locator(f'#overrides tr[data-override="{override.pk}"]')).to_contain_text(
        "T3 at the dentist"
    )
