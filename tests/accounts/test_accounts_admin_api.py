"""Accounts in the admin and the API: each Enterprise organisation has a named CSM (READING.md
§3), refused without one or with a bot as its CSM, naming the field, and the demo data obeys
the rule; agents are human or integration (READING.md §9)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from soporte.accounts.models import Organisation
from soporte.accounts.services import create_agent, create_token, csm_error
from soporte.demo import world as demo

pytestmark = pytest.mark.django_db


def api(world: Any) -> Client:
    secret = create_token(agent=world.agents["admin"], name="test")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def create(client: Client, **body: Any) -> Any:
    data = json.dumps({"name": "Nueva", **body})
    return client.post("/api/organisations", data=data, content_type="application/json")


def test_the_api_refuses_an_enterprise_organisation_without_a_csm(world: Any) -> None:
    client = api(world)
    bot = create_agent(email="bot@bots.example", name="Bot", kind="integration")

    for body in ({"plan": "enterprise"}, {"plan": "enterprise", "csm_id": bot.pk}):
        response = create(client, **body)
        assert response.status_code == 422, response.content
        [error] = response.json()["detail"]
        assert error["field"] == "csm_id"
        assert "CSM" in error["message"]
    assert not Organisation.objects.filter(name="Nueva").exists()

    made = create(client, plan="enterprise", csm_id=world.agents["lead3"].pk)
    assert made.status_code == 201, made.content
    assert made.json()["csm_id"] == world.agents["lead3"].pk
    assert create(client, plan="pro").status_code == 201  # other plans have no CSM


def test_the_admin_refuses_an_enterprise_organisation_without_a_csm(world: Any) -> None:
    client = Client()
    client.force_login(world.agents["admin"].user)
    form = {"name": "Nueva", "plan": "enterprise", "locale": "es", "csm": ""}

    refused = client.post("/admin/accounts/organisation/add/", form)
    assert refused.status_code == 200
    assert "Un plan Enterprise necesita un CSM" in refused.content.decode()
    assert not Organisation.objects.filter(name="Nueva").exists()

    pro = world.orgs["pro"]
    change = f"/admin/accounts/organisation/{pro.pk}/change/"
    upgraded = client.post(change, {**form, "name": pro.name})
    assert upgraded.status_code == 200
    pro.refresh_from_db()
    assert pro.plan == "pro"

    saved = client.post(change, {**form, "name": pro.name, "csm": world.agents["lead3"].pk})
    assert saved.status_code == 302
    pro.refresh_from_db()
    assert (pro.plan, pro.csm) == ("enterprise", world.agents["lead3"])


def test_every_demo_organisation_obeys_the_csm_rule() -> None:
    demo.seed(now=timezone.now())
    organisations = Organisation.objects.select_related("csm")
    assert organisations.filter(plan="enterprise").exists()
    assert [csm_error(plan=o.plan, csm=o.csm) for o in organisations] == [None] * len(organisations)


def test_an_unknown_plan_in_the_admin_is_a_field_error_not_a_500(world: Any) -> None:
    client = Client()
    client.force_login(world.agents["admin"].user)

    response = client.post(
        "/admin/accounts/organisation/add/", {"name": "X", "plan": "gold", "locale": "es"}
    )

    assert response.status_code == 200
    assert "gold" in response.content.decode()


def test_the_admin_lists_and_filters_agents_by_kind(world: Any) -> None:
    create_agent(email="zapier@integrations.invalid", name="Zapier", kind="integration")
    client = Client()
    client.force_login(world.agents["admin"].user)

    bots = client.get("/admin/accounts/agent/", {"kind__exact": "integration"})

    assert bots.status_code == 200
    html = bots.content.decode()
    assert "Zapier" in html
    assert "Integración (bot)" in html
    assert world.agents["t1"].email not in html
