"""Signing in as a user would: password, throttle, one-time links by email, reset, sign-out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from portal_helpers import english

from soporte.accounts.models import SignInAttempt
from soporte.jobs import services as jobs

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345678"


def client() -> Client:
    return english(Client())


def sign_in(c: Client, email: str, password: str = PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return c.post("/login/", {"email": email, "password": password}, **extra)


def deliver() -> list[mail.EmailMessage]:
    """Run the due jobs (the outbox) and return what was sent."""
    jobs.run_due(worker="t", now=timezone.now())
    return list(mail.outbox)


def without_tokens(page: bytes) -> str:
    """The page with its per-request CSRF tokens blanked out."""
    text = page.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "csrf", text)


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+/login/link/\S+/", message.body)
    assert found, message.body
    return found.group(0).split("testserver", 1)[1]


def test_contacts_land_in_the_portal_and_agents_in_the_console(world):  # type: ignore[no-untyped-def]
    c = client()
    response = sign_in(c, "ANA@pro.example ")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert c.get("/portal/").status_code == 200

    response = sign_in(client(), "t2@trackmyvend.example")
    assert response.status_code == 302
    assert response["Location"] == "/console/"


def test_sign_in_follows_a_safe_next_and_ignores_another_site(world):  # type: ignore[no-untyped-def]
    response = client().post(
        "/login/?next=/portal/tickets/new",
        {"email": "ana@pro.example", "password": PASSWORD, "next": "/portal/tickets/new"},
    )
    assert response["Location"] == "/portal/tickets/new"
    response = client().post(
        "/login/",
        {"email": "ana@pro.example", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/portal/"


def test_a_wrong_password_says_so_and_signs_nobody_in(world):  # type: ignore[no-untyped-def]
    c = client()
    response = sign_in(c, "ana@pro.example", "wrong-password")
    assert response.status_code == 200
    assert "That email and password do not match" in response.content.decode()
    assert 'value="ana@pro.example"' in response.content.decode()
    assert c.get("/portal/")["Location"].startswith("/login/?next=/portal/")


def test_five_failures_lock_that_email_and_address_for_a_while(world):  # type: ignore[no-untyped-def]
    c = client()
    for _ in range(5):
        assert sign_in(c, "ana@pro.example", "nope").status_code == 200
    response = sign_in(c, "ana@pro.example")  # the right password, too late
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in c.session
    assert SignInAttempt.objects.filter(email="ana@pro.example").count() == 5

    # Another address is not locked out by someone else's guesses.
    other = sign_in(client(), "ana@pro.example", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302

    # After the window the account can sign in again.
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(c, "ana@pro.example").status_code == 302


def test_posting_without_the_csrf_token_is_refused(world):  # type: ignore[no-untyped-def]
    c = Client(enforce_csrf_checks=True)
    assert sign_in(c, "ana@pro.example").status_code == 403


def test_sign_out_is_a_post(world):  # type: ignore[no-untyped-def]
    c = client()
    sign_in(c, "ana@pro.example")
    assert c.get("/logout/").status_code == 405
    response = c.post("/logout/")
    assert response["Location"] == "/login/"
    assert c.get("/portal/").status_code == 302


def test_a_sign_in_link_works_once_and_only_when_clicked(world):  # type: ignore[no-untyped-def]
    response = client().post("/login/link/", {"email": "Ana@Pro.Example"})
    assert response["Location"] == "/login/link/sent/"
    sent = deliver()
    assert [m.to for m in sent] == [["ana@pro.example"]]
    url = link_in(sent[0])

    browser = client()
    page = browser.get(url)  # what a mail scanner does: nobody is signed in
    assert page.status_code == 200
    assert "ana@pro.example" in page.content.decode()
    assert '<form method="post"' in page.content.decode()
    assert browser.get("/portal/").status_code == 302

    response = browser.post(url)
    assert response["Location"] == "/portal/"
    assert browser.get("/portal/").status_code == 200

    again = client()
    assert again.post(url).status_code == 410
    assert again.get(url).status_code == 410
    assert again.get("/portal/").status_code == 302


def test_a_sign_in_link_expires_after_15_minutes(world):  # type: ignore[no-untyped-def]
    client().post("/login/link/", {"email": "t1@trackmyvend.example"})
    url = link_in(deliver()[0])
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        c = client()
        assert c.get(url).status_code == 410
        assert c.post(url).status_code == 410
        assert c.get("/console/").status_code == 302


def test_an_agent_link_opens_the_console(world):  # type: ignore[no-untyped-def]
    client().post("/login/link/", {"email": "t1@trackmyvend.example"})
    url = link_in(deliver()[0])
    assert client().post(url)["Location"] == "/console/"


def test_an_unknown_address_gets_the_same_page_and_no_email(world):  # type: ignore[no-untyped-def]
    known = client().post("/login/link/", {"email": "ana@pro.example"}, follow=True)
    assert len(deliver()) == 1
    mail.outbox.clear()
    unknown = client().post("/login/link/", {"email": "nobody@pro.example"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [("/login/link/sent/", 302)]
    assert without_tokens(unknown.content) == without_tokens(known.content)
    assert deliver() == []


def test_a_forged_link_is_refused(world):  # type: ignore[no-untyped-def]
    assert client().get("/login/link/eyJ1IjoxfQ:1abc:forged/").status_code == 410


def test_password_reset_emails_a_link_that_sets_a_new_password(world):  # type: ignore[no-untyped-def]
    response = client().post("/login/reset/", {"email": "ana@starter.example"})
    assert response["Location"] == "/login/reset/sent/"
    assert mail.outbox == []  # sent by the outbox, like every email
    sent = deliver()
    assert [m.to for m in sent] == [["ana@starter.example"]]
    found = re.search(r"http://testserver(/login/reset/\S+/\S+/)", sent[0].body)
    assert found, sent[0].body

    c = client()
    form = c.get(found.group(1), follow=True)
    assert form.status_code == 200
    new = "a-brand-new-passphrase-42"
    done = c.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/login/reset/done/"
    assert sign_in(client(), "ana@starter.example", new)["Location"] == "/portal/"
    assert sign_in(client(), "ana@starter.example").status_code == 200


def test_password_reset_for_an_unknown_address_sends_nothing(world):  # type: ignore[no-untyped-def]
    response = client().post("/login/reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/login/reset/sent/"
    assert mail.outbox == []
