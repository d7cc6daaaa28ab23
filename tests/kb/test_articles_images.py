"""Articles' images: the type is sniffed from the bytes and the size is limited; the public sees
a published article's images only (with their type, nosniff and a cache header), an agent also
a draft's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from article_factory import later, write
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from soporte.kb import services
from soporte.kb.models import ArticleImage

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def attach(article: Any, name: str, data: bytes, content_type: str = "image/png") -> ArticleImage:
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return services.attach_image(article=article, upload=upload, now=later(1))


@pytest.mark.parametrize(
    ("data", "sniffed"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")],
)
def test_images_are_typed_by_their_bytes(world: Any, data: bytes, sniffed: str) -> None:
    image = attach(write(world), "captura.bin", data, "application/octet-stream")
    assert (image.content_type, image.size, image.filename) == (sniffed, len(data), "captura.bin")
    assert image.uploaded_at == later(1)
    assert image.file.read() == data


@pytest.mark.parametrize(
    "data", [b"<html><script>alert(1)</script></html>", MP4, b""], ids=["html", "mp4", "empty"]
)
def test_what_is_no_image_is_refused_whatever_its_name(world: Any, data: bytes) -> None:
    with pytest.raises(services.ArticleError) as refused:
        attach(write(world), "captura.png", data)
    assert refused.value.field == "image"
    assert "PNG" in str(refused.value)
    assert not ArticleImage.objects.exists()


def test_an_image_over_the_limit_is_refused(world: Any, settings: Any) -> None:
    settings.SOPORTE_KB_IMAGE_MAX_BYTES = 50
    with pytest.raises(services.ArticleError) as refused:
        attach(write(world), "grande.png", PNG)
    assert refused.value.field == "image"
    assert "50" in str(refused.value)


def test_the_public_sees_a_published_articles_image_with_safe_headers(
    world: Any, client: Client
) -> None:
    article = write(world)
    image = attach(article, "captura.png", PNG)
    url = f"/kb/images/{image.pk}"
    assert client.get(url).status_code == 404  # a draft's: not public
    services.publish(article=article, now=later(2))
    shown = client.get(url)
    assert shown.status_code == 200
    assert b"".join(shown.streaming_content) == PNG  # type: ignore[attr-defined]
    assert shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert "max-age" in shown["Cache-Control"]
    assert "public" in shown["Cache-Control"]
    assert client.get("/kb/images/999999").status_code == 404
    services.archive(article=article, now=later(3))
    assert client.get(url).status_code == 404


def test_an_agent_sees_a_drafts_image_a_contact_does_not(world: Any) -> None:
    image = attach(write(world), "captura.png", PNG)
    agent = Client()
    agent.force_login(world.agents["t1"].user)
    shown = agent.get(f"/kb/images/{image.pk}")
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "private, no-store"
    contact = Client()
    contact.force_login(world.contacts["pro"].user)
    assert contact.get(f"/kb/images/{image.pk}").status_code == 404
