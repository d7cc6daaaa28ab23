"""Headers and disclosure: the Content-Security-Policy of every page (and templates that need
no exception to it), HSTS and Secure cookies on an https desk, what an anonymous /healthz
shows, and the API's own 404 for unknown /api/ paths."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import soporte
from soporte.config.middleware import CONTENT_SECURITY_POLICY
from soporte.policy import default_policy

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345678"
TEMPLATES = sorted(Path(soporte.__file__).parent.glob("*/templates/**/*.html"))


class InlineCode(HTMLParser):
    """What a ``script-src 'self'; style-src 'self'`` policy refuses: inline scripts, event
    handler attributes, ``style`` attributes and ``<style>`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append("<script> without src")
        handlers = [name for name in names if name.startswith("on") and len(name) > 2]
        self.found += [f"{name}=" for name in [*handlers, "style"] if name in names]


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_template_needs_inline_script_or_style(template: Path) -> None:
    assert inline_code(template.read_text()) == []


def signed_in(email: str) -> Client:
    c = Client()
    assert c.post("/login/", {"email": email, "password": PASSWORD}).status_code == 302
    return c


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/login/"),
        (None, "/admin/login/"),
        ("ana@pro.example", "/portal/"),
        ("ana@pro.example", "/portal/tickets/new"),
        ("t1@trackmyvend.example", "/console/"),
        ("admin@trackmyvend.example", "/console/oncall/"),
        ("admin@trackmyvend.example", "/admin/"),
    ],
)
def test_pages_carry_the_policy_and_nothing_inline(world: Any, who: str | None, url: str) -> None:
    response = (signed_in(who) if who else Client()).get(url, follow=True)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert inline_code(response.content.decode()) == []


def test_plain_http_gets_no_hsts(world: Any, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    response = Client().post("/login/", {"email": "ana@pro.example", "password": PASSWORD})
    assert "Strict-Transport-Security" not in response
    assert not response.cookies["sessionid"]["secure"]


def test_an_https_desk_sends_hsts_and_only_secure_cookies(world: Any, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://soporte.trackmyvend.example"
    c = Client()
    page = c.get("/login/?lang=en")
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    signed = c.post("/login/", {"email": "ana@pro.example", "password": PASSWORD})
    cookies = {**page.cookies, **signed.cookies}
    assert {"sessionid", "csrftoken", "soporte_language"} <= set(cookies)
    assert all(cookie["secure"] for cookie in cookies.values())


def test_anonymous_healthz_does_not_show_where_the_policy_file_is(world: Any) -> None:
    policy = default_policy()
    anonymous = Client().get("/healthz")
    assert anonymous.json()["policy"] == {"name": policy.name, "version": policy.version}
    assert policy.source not in anonymous.content.decode()
    agent = signed_in("t1@trackmyvend.example").get("/healthz")
    assert agent.json()["policy"]["source"] == policy.source


@pytest.mark.parametrize("path", ["/api/nope", "/api/tickets/", "/api/v2/tickets", "/api/"])
def test_an_unknown_api_path_answers_the_apis_json_404(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": f"not found: no API operation at {path}"}
