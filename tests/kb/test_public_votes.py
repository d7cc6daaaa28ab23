""" "Was this helpful?": scanner-safe (a GET never records), one answer per reader per article,
changeable, counted on the article; bad input is a 400 naming its field."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from public_kb_helpers import AT, machines_shelf
from soporte.kb import votes
from soporte.kb.models import Article, Vote

pytestmark = pytest.mark.django_db
VOTE = "/kb/en/add-a-machine/vote"


def counts(found: Article) -> tuple[int, int]:
    found.refresh_from_db()
    return found.helpful_yes, found.helpful_no


def test_a_scanner_that_only_fetches_records_nothing(client: Client) -> None:
    shelf = machines_shelf()
    page = client.get("/kb/en/add-a-machine").content.decode()
    links = set(re.findall(r'(?:href|action|hx-post)="(/kb/[^"#]*)', page))
    assert VOTE in links
    for link in links:  # a link prefetcher: fetches every address on the page, presses nothing
        assert client.get(link).status_code in (200, 405), link
        assert client.head(link).status_code in (200, 405), link
    assert client.get(VOTE + "?helpful=yes").status_code == 405
    assert counts(shelf.english) == (0, 0)
    assert not Vote.objects.exists()


def test_a_vote_without_script_is_counted_and_returns_to_the_article(client: Client) -> None:
    shelf = machines_shelf()
    response = client.post(VOTE, {"helpful": "yes"})
    assert response.status_code == 303
    assert response["Location"] == "/kb/en/add-a-machine#helpful"
    assert counts(shelf.english) == (1, 0)
    page = client.get("/kb/en/add-a-machine").content.decode()
    assert 'value="yes" class="secondary" aria-pressed="true"' in page
    assert "Thank you! We are glad it helped." in page


def test_one_reader_holds_one_answer_and_may_change_it(client: Client) -> None:
    shelf = machines_shelf()
    client.post(VOTE, {"helpful": "yes"})
    client.post(VOTE, {"helpful": "yes"})  # a double click
    assert counts(shelf.english) == (1, 0)
    client.post(VOTE, {"helpful": "no"})
    assert counts(shelf.english) == (0, 1)
    assert Vote.objects.get().helpful is False
    other = Client()
    other.post(VOTE, {"helpful": "no"})
    assert counts(shelf.english) == (0, 2)
    assert counts(shelf.spanish) == (0, 0)  # the translation counts its own readers


def test_a_no_offers_a_comment_and_a_ticket(client: Client) -> None:
    machines_shelf()
    client.post(VOTE, {"helpful": "no"})
    page = client.get("/kb/en/add-a-machine").content.decode()
    assert "What were you looking for? (optional)" in page
    assert 'href="/portal/tickets/new">File a ticket</a>' in page
    client.post(VOTE, {"helpful": "no", "comment": "  It does not say where the serial is. "})
    assert Vote.objects.get().comment == "It does not say where the serial is."
    assert "We saved your comment." in client.get("/kb/en/add-a-machine").content.decode()


def test_with_htmx_the_answer_part_is_swapped_in_place(client: Client) -> None:
    shelf = machines_shelf()
    response = client.post(VOTE, {"helpful": "yes"}, headers={"hx-request": "true"})
    assert response.status_code == 200
    part = response.content.decode()
    assert part.lstrip().startswith('<section id="helpful"')
    assert "<html" not in part
    assert 'value="yes" class="secondary" aria-pressed="true"' in part
    assert "kb_reader" in response.cookies
    assert counts(shelf.english) == (1, 0)


def test_the_swapped_part_shows_the_vote_just_written_without_reading_it_again(
    client: Client,
) -> None:
    machines_shelf()
    client.post(VOTE, {"helpful": "no"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            VOTE,
            {"helpful": "no", "comment": "Quería el modelo 12"},
            headers={"hx-request": "true"},
        )
    part = response.content.decode()
    assert "Quería el modelo 12</textarea>" in part
    assert "We saved your comment." in part
    reads = [q["sql"] for q in queries.captured_queries if _reads_votes(q["sql"])]
    assert len(reads) == 2, reads  # the answer's, then the comment's (locked): no third


def _reads_votes(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT") and re.search(r'FROM "?kb_vote"?', sql)


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"helpful": "maybe"}, "helpful must be yes or no."),
        ({}, "helpful must be yes or no."),
        ({"helpful": "no", "comment": "x" * 2001}, "comment must be at most 2000 characters."),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
    client: Client, data: dict[str, str], named: str
) -> None:
    shelf = machines_shelf()
    response = client.post(VOTE, data)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert counts(shelf.english) == (0, 0)
    assert not Vote.objects.exists()


def test_a_forged_reader_cookie_is_a_new_reader(client: Client) -> None:
    shelf = machines_shelf()
    client.post(VOTE, {"helpful": "yes"})
    client.cookies["kb_reader"] = "someone-else"  # unsigned: not trusted
    client.post(VOTE, {"helpful": "yes"})
    assert counts(shelf.english) == (2, 0)


def test_the_service_records_when_and_keeps_the_first_moment() -> None:
    shelf = machines_shelf()
    first = votes.vote(article=shelf.spanish, reader="r1", helpful=True, now=AT)
    later = AT + timedelta(days=3)
    changed = votes.vote(article=shelf.spanish, reader="r1", helpful=False, now=later)
    assert (changed.pk, changed.voted_at, changed.changed_at) == (first.pk, AT, later)
    assert (shelf.spanish.helpful_yes, shelf.spanish.helpful_no) == (0, 1)
    assert votes.comment(article=shelf.spanish, reader="r2", text="?", now=later) is None
    noted = votes.comment(article=shelf.spanish, reader="r1", text="Falta un paso", now=later)
    assert noted is not None
    assert Vote.objects.get(pk=first.pk).comment == "Falta un paso"
