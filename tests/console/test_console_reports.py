"""The console's reports pages: who may open them, the filters in the URL, bad filters as form
errors naming the field, each report's chart data and accessible table, and the CSV download
equal to the report's table, in both UI languages."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from console_helpers import client_for
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from feedback.review_factory import executives
from reports.people_factory import MONDAY, PERIOD, local, page, survey, ticket
from soporte.reports import facts
from soporte.reports.catalog import reports
from soporte.reports.domain.filters import Filters
from soporte.reports.domain.tables import to_csv

URL = reverse("console:reports")
ROW = '<th scope="row">%s</th>'


def report_url(key: str, **query: str) -> str:
    return f"{reverse('console:report', args=[key])}?{urlencode(query)}"


@pytest.fixture
def history(world: Any) -> None:
    on = ticket(world, at=local(MONDAY, 10), plan="pro", channel="chat")
    ticket(world, at=local(MONDAY, 11), plan="starter")
    survey(world, on, sent=local(MONDAY, 12), answer="up", channel="chat")
    survey(world, on, sent=local(MONDAY, 13), answer="down", tier="T2", agent="t2")
    page(
        on,
        opened=local(MONDAY, 23),
        acknowledged=timedelta(minutes=3),
        by=world.agents["t3"],
        notified=((world.agents["t3"], timedelta(0), "primary"),),
    )
    facts.refresh(now=local(MONDAY + timedelta(days=1), 9))  # the daily aggregates' job


def test_agents_who_see_every_queue_open_the_reports(world: Any) -> None:
    boss = executives(world)
    for person in (world.agents["lead1"], world.agents["admin"], boss["founder"], boss["cto"]):
        client = Client()
        client.force_login(person.user)
        response = client.get(URL)
        assert response.status_code == 200, person
        assert f'href="{URL}"' in response.content.decode()  # the nav link


def test_other_agents_get_403_and_no_link(world: Any) -> None:
    client = client_for(world, "t1")
    assert client.get(URL).status_code == 403
    assert client.get(report_url("csat_by_week")).status_code == 403
    assert client.get(report_url("csat_by_week", format="csv")).status_code == 403
    assert f'href="{URL}"' not in client.get(reverse("console:mine")).content.decode()


def test_anonymous_people_are_sent_to_sign_in_and_contacts_refused(world: Any) -> None:
    assert Client().get(URL).status_code == 302
    customer = Client()
    customer.force_login(world.contacts["pro"].user)
    assert customer.get(URL).status_code == 403


def test_the_page_shows_every_report_with_its_chart_table_and_csv_link(
    world: Any, history: None
) -> None:
    response = client_for(world, "lead1").get(URL, {**PERIOD, "lang": "en"})
    html = response.content.decode()
    assert response.status_code == 200
    for key in reports():
        assert f'id="report-{key}"' in html
        assert report_url(key, **PERIOD, lang="en", format="csv").replace("&", "&amp;") in html
    for section in ("CSAT", "Volume", "On-call"):
        assert f'<h2 class="report-section">{section}</h2>' in html
    assert html.count("<caption>") == len(reports())
    assert '<th scope="col" class="kind-percent">CSAT %</th>' in html
    data = re.search(
        r'<script id="chart-data-csat_by_tier" type="application/json">(.*?)</script>', html
    )
    assert data is not None
    chart = json.loads(data.group(1))
    assert chart["kind"] == "stacked_bar"
    assert chart["labels"] == ["T1", "T2", "T3"]
    assert [s["data"] for s in chart["series"]] == [[1, 0, 0], [0, 0, 0], [0, 1, 0]]
    assert [s["tone"] for s in chart["series"]] == ["good", "middle", "bad"]
    assert 'class="queue heatmap"' in html  # the on-call grid: a colour-scaled table, no canvas
    assert "chart-data-oncall_hours" not in html
    assert 'class="kind-count heat-5">1</td>' in html
    assert "<script>" not in html  # the CSP: no inline script


def test_the_filters_are_in_the_url_and_applied(world: Any, history: None) -> None:
    client = client_for(world, "lead1")
    every = client.get(report_url("volume_by_organisation", **PERIOD, lang="en"))
    assert ROW % "Starter Vending" in every.content.decode()
    only = client.get(report_url("volume_by_organisation", **PERIOD, plan="pro", lang="en"))
    html = only.content.decode()
    assert ROW % "Pro Vending" in html
    assert ROW % "Starter Vending" not in html
    assert 'value="pro" selected' in html  # the form shows what the URL chose
    org = world.orgs["starter"]
    one = client.get(report_url("volume_by_organisation", **PERIOD, organisation=str(org.pk)))
    assert ROW % "Starter Vending" in one.content.decode()
    assert ROW % "Pro Vending" not in one.content.decode()


def test_the_default_period_is_the_last_four_weeks(world: Any) -> None:
    html = client_for(world, "lead1").get(URL, {"lang": "en"}).content.decode()
    assert 'value="last_4_weeks" selected' in html
    weekly = ["csat_by_week", "volume_by_channel", "oncall_pages", "oncall_acknowledge"]
    assert html.count('<tr><th scope="row">20') >= 4 * len(weekly)  # four ISO weeks each


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "fortnight"}, "Period", "Select a valid choice"),
        ({"period": "custom", "start": "2026-13-45", "end": "2026-12-01"}, "From", "valid date"),
        ({"period": "custom", "start": "2026-12-01"}, "To", "needs this date"),
        ({"period": "custom", "start": "2026-12-02", "end": "2026-12-01"}, "To", "ends before"),
        ({"period": "custom", "start": "2020-01-01", "end": "2026-12-01"}, "To", "two years"),
        ({"plan": "platinum"}, "Plan", "Select a valid choice"),
        ({"severity": "P9"}, "Severity", "Select a valid choice"),
        ({"tier": "T4"}, "Tier", "Select a valid choice"),
        ({"channel": "fax"}, "Channel", "Select a valid choice"),
        ({"organisation": "not-a-uuid"}, "Organisation", "not a valid UUID"),
    ],
)
def test_bad_filters_are_form_errors_naming_the_field(
    world: Any, query: dict[str, str], field: str, message: str
) -> None:
    client = client_for(world, "lead1")
    response = client.get(URL, {**query, "lang": "en"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert re.search(rf"<li>{field}: [^<]*{message}", html)
    assert "<h1>Reports</h1>" in html  # the page still renders, with its form
    csv = client.get(report_url("csat_by_week", **query, format="csv", lang="en"))
    assert csv.status_code == 400
    assert csv["Content-Type"].startswith("text/plain")
    assert re.search(rf"^{field}: .*{message}", csv.content.decode(), re.M)


def test_an_unknown_report_is_404_and_an_unknown_format_400(world: Any) -> None:
    client = client_for(world, "lead1")
    assert client.get(report_url("nonsense")).status_code == 404
    response = client.get(report_url("csat_by_week", format="xlsx", lang="en"))
    assert response.status_code == 400
    assert "format" in response.content.decode()


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_each_csv_is_its_report_table(world: Any, history: None, language: str) -> None:
    client = client_for(world, "lead1")
    filters = Filters(MONDAY, MONDAY + timedelta(days=13))
    for key, report in reports().items():
        response = client.get(report_url(key, **PERIOD, format="csv", lang=language))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{key}_2026-11-30_2026-12-13.csv"'
        )
        with translation.override(language):
            expected = to_csv(report.compute(filters, timezone.now()))
        assert response.content.decode() == expected


def test_the_labels_follow_the_ui_language(world: Any, history: None) -> None:
    """Spanish is the default: the channel names (already in the catalogue) come translated."""
    client = client_for(world, "lead1")
    spanish = client.get(report_url("csat_by_channel", **PERIOD, format="csv")).content.decode()
    english = client.get(report_url("csat_by_channel", **PERIOD, format="csv", lang="en"))
    assert "Chat en la app" in spanish
    assert "In-app chat" in english.content.decode()
    with translation.override("es-mx"):
        monday = client.get(report_url("oncall_hours", **PERIOD, lang="es-mx")).content.decode()
    assert "lunes" in monday
