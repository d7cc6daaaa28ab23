"""The console's pinned-FAQ page: who may open it, both languages, accept, reject, unpin and
reorder, and bad input answered on the page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from console_helpers import client_for
from django.test import Client

from kb.faq_helpers import article
from soporte.kb.models import ChangeKind, PinChange, PinnedFaq, PinProposal, ProposalStatus
from soporte.kb.selectors import pinned
from soporte.policy import default_policy

AT = datetime(2026, 12, 7, 15, tzinfo=UTC)
URL = "/console/kb/faq"


def proposal(language: str, article: Any, question: str = "", **kw: Any) -> PinProposal:
    return PinProposal.objects.create(
        language=language,
        question=question or f"article:{article.pk}",
        article=article,
        week="2026-W49",
        weeks=["2026-W47", "2026-W48", "2026-W49"],
        tickets=7,
        created_at=AT,
        **kw,
    )


@pytest.fixture
def articles(db: Any) -> dict[str, Any]:
    ventas = article("ventas-en-cero")
    return {
        "ventas": ventas,
        "sales": article("sales-show-zero", language="en", source=ventas),
        "clave": article("cambiar-contrasena"),
    }


@pytest.mark.parametrize("name", ["lead1", "lead3", "admin"])
def test_leads_and_admins_see_both_languages(world: Any, articles: Any, name: str) -> None:
    proposal("es", articles["ventas"])
    proposal("en", articles["ventas"])
    page = client_for(world, name).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="faq-es"' in html
    assert 'id="faq-en"' in html
    assert "Ventas en cero" in html
    assert "Sales show zero" in html
    assert "2026-W47, 2026-W48, 2026-W49" in html


def test_other_agents_get_403_and_contacts_too(world: Any) -> None:
    assert client_for(world, "t1").get(URL).status_code == 403
    assert client_for(world, "t2").post(f"{URL}/proposals/1/accept").status_code == 403
    contact = Client()
    contact.force_login(world.contacts["pro"].user)
    assert contact.get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


def test_the_page_speaks_english_and_spanish(world: Any, articles: Any) -> None:
    lead = client_for(world, "lead1")
    spanish = lead.get(URL, headers={"accept-language": "es-MX"}).content.decode()
    english = lead.get(URL, headers={"accept-language": "en"}).content.decode()
    # the page's own strings are translated when the catalogue is regenerated; its chrome is
    assert "Revisión semanal" in spanish
    assert "Weekly review" in english
    for html in (spanish, english):
        assert 'id="faq-es"' in html
        assert 'id="faq-en"' in html


def test_accept_pins_the_article_and_logs_it(world: Any, articles: Any) -> None:
    found = proposal("en", articles["ventas"])
    answer = client_for(world, "lead2").post(f"{URL}/proposals/{found.pk}/accept")
    assert answer.status_code == 302
    assert pinned("en") == [articles["sales"]]
    html = client_for(world, "lead2").get(URL).content.decode()
    assert 'data-change="pinned"' in html
    assert "LEAD2" in html


def test_accept_a_question_of_tickets_with_a_chosen_article(world: Any, articles: Any) -> None:
    found = proposal("es", None, question="ticket:12")
    lead = client_for(world, "lead1")
    refused = lead.post(f"{URL}/proposals/{found.pk}/accept", {"article": ""})
    assert refused.status_code == 400
    assert "data-proposal" in refused.content.decode()
    wrong = lead.post(f"{URL}/proposals/{found.pk}/accept", {"article": articles["sales"].pk})
    assert wrong.status_code == 400
    lead.post(f"{URL}/proposals/{found.pk}/accept", {"article": articles["clave"].pk})
    assert pinned("es") == [articles["clave"]]


def test_reject_needs_a_reason(world: Any, articles: Any) -> None:
    found = proposal("es", articles["ventas"])
    lead = client_for(world, "lead1")
    assert lead.post(f"{URL}/proposals/{found.pk}/reject", {"reason": " "}).status_code == 400
    assert lead.post(f"{URL}/proposals/{found.pk}/reject", {"reason": "ya"}).status_code == 302
    found.refresh_from_db()
    assert found.status == ProposalStatus.REJECTED
    assert lead.post(f"{URL}/proposals/{found.pk}/reject", {"reason": "ya"}).status_code == 400


def test_unpin_and_reorder(world: Any, articles: Any) -> None:
    first, second = (
        PinnedFaq.objects.create(language="es", article=articles[k], pinned_at=AT, position=i)
        for i, k in enumerate(["ventas", "clave"])
    )
    lead = client_for(world, "admin")
    lead.post(f"{URL}/pins/{second.pk}/move", {"direction": "up"})
    assert pinned("es") == [articles["clave"], articles["ventas"]]
    lead.post(f"{URL}/pins/{first.pk}/unpin")
    assert pinned("es") == [articles["clave"]]
    assert lead.post(f"{URL}/pins/{first.pk}/unpin").status_code == 404
    kinds = set(PinChange.objects.values_list("kind", flat=True))
    assert kinds == {ChangeKind.REORDERED, ChangeKind.UNPINNED}


def test_a_lead_pins_an_article_by_hand_from_the_kb_page(world: Any, articles: Any) -> None:
    PinnedFaq.objects.create(language="es", article=articles["ventas"], pinned_at=AT)
    lead = client_for(world, "lead1")
    kb = lead.get("/console/kb/", headers={"accept-language": "en"}).content.decode()
    assert f'href="{URL}"' in kb
    html = lead.get(URL, headers={"accept-language": "en"}).content.decode()
    assert 'action="/console/kb/faq/es/pin"' in html
    assert "Article to pin" in html
    answer = lead.post(f"{URL}/es/pin", {"article": articles["clave"].pk, "place": "1"})
    assert answer.status_code == 302
    assert pinned("es") == [articles["clave"], articles["ventas"]]
    change = PinChange.objects.get()
    assert (change.kind, change.by, change.note) == (ChangeKind.PINNED, world.agents["lead1"], "1")
    assert "at place 1" in lead.get(URL, headers={"accept-language": "en"}).content.decode()
    spanish = lead.get(URL, headers={"accept-language": "es-MX"}).content.decode()
    assert "Artículo por fijar" in spanish
    assert "en el lugar 1" in spanish
    lead.post(f"{URL}/pins/{PinnedFaq.objects.get(position=0).pk}/move", {"direction": "down"})
    assert pinned("es") == [articles["ventas"], articles["clave"]]  # move keeps working


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"article": "", "place": "1"}, "Choose a published article in this language."),
        ({"article": "sales", "place": "1"}, "Choose a published article in this language."),
        ({"article": "ventas", "place": "0"}, "Choose a place on the list."),
        ({"article": "clave", "place": "1"}, "That article is already pinned."),
    ],
)
def test_pinning_by_hand_refuses_bad_input_on_the_page(
    world: Any, articles: Any, fields: dict[str, str], message: str
) -> None:
    PinnedFaq.objects.create(language="es", article=articles["clave"], pinned_at=AT)
    picked = articles.get(fields["article"])
    data = {**fields, "article": picked.pk if picked else ""}
    refused = client_for(world, "lead1").post(
        f"{URL}/es/pin", data, headers={"accept-language": "en"}
    )
    assert refused.status_code == 400
    assert message in refused.content.decode()
    assert pinned("es") == [articles["clave"]]


def test_a_full_list_refuses_another_pin_and_says_so(world: Any, articles: Any) -> None:
    capacity = default_policy().kb.pinned_faqs
    for i in range(capacity):
        PinnedFaq.objects.create(
            language="es", article=article(f"faq-{i}"), pinned_at=AT, position=i
        )
    lead = client_for(world, "lead1")
    html = lead.get(URL, headers={"accept-language": "en"}).content.decode()
    assert f"The list is full ({capacity} pinned FAQs)" in html
    assert 'action="/console/kb/faq/es/pin"' not in html
    assert 'action="/console/kb/faq/en/pin"' in html  # English has room
    refused = lead.post(
        f"{URL}/es/pin", {"article": articles["ventas"].pk, "place": "1"},
        headers={"accept-language": "en"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "The list is full: unpin a FAQ before pinning another." in refused.content.decode()
    assert PinnedFaq.objects.count() == capacity
    assert client_for(world, "t1").post(f"{URL}/es/pin").status_code == 403
    assert lead.post(f"{URL}/fr/pin").status_code == 404
