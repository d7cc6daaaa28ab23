"""An agent's profile page: their contact methods for pages and CSM notices, validated."""

from __future__ import annotations

from typing import Any

from django.test import Client

from soporte.accounts.models import Agent


def _client(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


def test_an_agent_sets_their_contact_methods(world: Any) -> None:
    agent = world.agents["t3"]
    client = _client(agent)
    assert client.get("/console/profile").status_code == 200

    response = client.post(
        "/console/profile",
        {
            "phone": "+52 1 81 2698 2507",
            "whatsapp": "81 1111 2222",
            "slack_user_id": "U024BE7LH",
            "notice_channel": "sms",
        },
    )

    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.phone, agent.whatsapp) == ("+528126982507", "+528111112222")
    assert (agent.slack_user_id, agent.notice_channel, agent.mobile) == (
        "U024BE7LH",
        "sms",
        "+528126982507",
    )


def test_wrong_methods_are_named_and_nothing_changes(world: Any) -> None:
    agent = world.agents["t3"]
    response = _client(agent).post(
        "/console/profile",
        {"phone": "12", "whatsapp": "", "slack_user_id": "alice", "notice_channel": "fax"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "12 no es un número de teléfono" in page
    assert "alice no es un ID de miembro de Slack" in page
    agent.refresh_from_db()
    assert (agent.phone, agent.slack_user_id, agent.notice_channel) == ("", "", "email")


def test_admins_edit_them_in_the_admin(world: Any) -> None:
    client = _client(world.agents["admin"])
    agent = world.agents["t1"]
    page = client.get(f"/admin/accounts/agent/{agent.pk}/change/")
    assert page.status_code == 200
    assert b'name="slack_user_id"' in page.content
    assert b'name="notice_channel"' in page.content
