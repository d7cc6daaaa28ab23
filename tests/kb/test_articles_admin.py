"""The admin edits categories and only shows articles: the console's editor keeps revisions,
slugs and translations consistent."""

from __future__ import annotations

from typing import Any

import pytest
from article_factory import write
from django.contrib.auth import get_user_model
from django.test import Client

from soporte.kb.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser() -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw-12345678")
    client = Client()
    client.force_login(user)
    return client


def test_categories_are_edited_in_the_admin(superuser: Client) -> None:
    added = superuser.post(
        "/admin/kb/category/add/",
        {"name_es": "Pagos", "name_en": "Payments", "slug_es": "pagos", "slug_en": "payments",
         "position": "2"},
    )  # fmt: skip
    assert added.status_code == 302
    assert Category.objects.get().name("en") == "Payments"


def test_articles_are_only_shown_in_the_admin(world: Any, superuser: Client) -> None:
    article = write(world)
    assert superuser.get("/admin/kb/article/").status_code == 200
    assert superuser.get("/admin/kb/article/add/").status_code == 403
    shown = superuser.get(f"/admin/kb/article/{article.pk}/change/")
    assert shown.status_code == 200
    assert 'name="title"' not in shown.text
    assert "Dar de alta una máquina" in shown.text
