"""Cards show the story's lead picture, from its renditions, fetched with the list and never per card."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Image
from tests.factories import make_article, make_image, make_section, run_waiting_tasks

pytestmark = pytest.mark.django_db


def photo(name="boats.jpg", size=(1600, 900), **fields):
    out = io.BytesIO()
    PILImage.new("RGB", size, "#4a6d8c").save(out, "JPEG")
    fields.setdefault("alt_text", "Fishing boats tied up in the harbour")
    fields.setdefault("caption", "The harbour on Friday.")
    picture = Image.objects.create(file=SimpleUploadedFile(name, out.getvalue()), **fields)
    run_waiting_tasks()  # the worker makes the renditions
    picture.refresh_from_db()
    return picture


def card_of(html, headline):
    """Return the HTML of the card whose headline is given."""
    for card in re.findall(r'<article class="card">.*?</article>', html, flags=re.S):
        if headline in re.sub(r"<[^>]+>", "", card):  # search results mark the reader's words
            return card
    raise AssertionError(f"no card for {headline!r}")


def test_a_card_shows_the_lead_picture_with_its_renditions(client):
    picture = photo()
    make_article(headline="Harbour reopens", lead_image=picture)
    card = card_of(client.get("/").content.decode(), "Harbour reopens")
    img = re.search(r"<img [^>]+>", card).group()
    assert 'alt="Fishing boats tied up in the harbour"' in img
    assert 'width="1600" height="900"' in img and 'loading="lazy"' in img
    assert 'sizes="(min-width: 38rem) 36rem, calc(100vw - 2rem)"' in img
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    assert [entry.split()[-1] for entry in srcset.split(", ")] == ["360w", "720w", "1080w", "1440w"]
    assert all("/renditions/" in entry and entry.split()[0].endswith(".jpeg") for entry in srcset.split(", "))
    assert '<source type="image/webp" srcset="' in card and "/720.webp 720w" in card
    # The caption and credit belong to the story's page, not to its card.
    assert "The harbour on Friday." not in card


def test_a_card_without_a_picture_or_with_a_caption_only_picture_shows_none(client):
    make_article(headline="No picture at all")
    make_article(headline="Wire caption only", lead_image=make_image(caption="Police at the scene."))
    html = client.get("/").content.decode()
    for headline in ("No picture at all", "Wire caption only"):
        card = card_of(html, headline)
        assert "<img" not in card and "<picture" not in card and "<figure" not in card
    assert "Police at the scene." not in html


def test_search_results_and_archives_show_the_picture_too(client):
    make_article(headline="Harbour reopens after storms", lead_image=photo())
    day = timezone.localdate()
    for url in ("/search/?q=harbour", f"/archive/{day:%Y/%m}/"):
        card = card_of(client.get(url).content.decode(), "Harbour reopens after storms")
        assert 'alt="Fishing boats tied up in the harbour"' in card, url


@pytest.mark.parametrize("n", [2, 8])
def test_pictures_cost_no_query_of_their_own(client, django_assert_num_queries, n):
    world = make_section(slug="world", name="World")
    for i in range(n):
        make_article(primary_section=world, lead_image=photo(f"p{i}.jpg", size=(400, 300)), dek=f"Story {i}.")
    client.get("/")  # the header and the time of the next change are then kept, as in test_views.py
    # As many queries for 2 pictured cards as for 8: the picture is joined to the page's row.
    with django_assert_num_queries(4):  # section, page, nav and breadcrumb trail, subsections
        html = client.get("/world/").content.decode()
    assert html.count("<img ") == n
    fts_lookup = 0 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(2 + fts_lookup):  # (FTS), count, page; the navigation is kept
        assert client.get("/search/", {"q": "story"}).content.decode().count("<img ") == n


def test_a_changed_picture_shows_on_the_card_at_once(client):
    picture = photo()
    make_article(headline="Harbour reopens", lead_image=picture, published_at=timezone.now() - timedelta(hours=1))
    assert 'alt="Fishing boats tied up in the harbour"' in card_of(client.get("/").content.decode(), "Harbour reopens")
    picture.alt_text = "Empty moorings at dawn"
    picture.save()
    assert 'alt="Empty moorings at dawn"' in card_of(client.get("/").content.decode(), "Harbour reopens")
