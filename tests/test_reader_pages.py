"""The reader's pages beyond the basics: date archive, share card, responsive pictures, share links."""

import io
import json
import re
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, Image
from articles.platform.renditions import make_picture_renditions
from articles.reader import structured_data
from tests.factories import make_article, make_image, run_waiting_tasks

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=timezone.get_current_timezone())


# The date archive


def test_archive_index_lists_each_month_with_stories_newest_first(client):
    make_article(headline="March story", published_at=at(2025, 3, 2, 9))
    make_article(headline="July story", published_at=at(2025, 7, 25, 10))
    make_article(headline="January story", published_at=at(2026, 1, 5, 8))
    make_article(headline="Draft", status=Article.Status.DRAFT, published_at=at(2024, 5, 1))
    html = client.get("/archive/").content.decode()
    links = re.findall(r'href="(/archive/\d{4}/\d{2}/)"', html)
    assert links == ["/archive/2026/01/", "/archive/2025/07/", "/archive/2025/03/"]
    assert html.index(">2026</h2>") < html.index(">2025</h2>")
    assert "2024" not in html  # a draft's date does not make a month appear


def test_month_and_day_pages_list_that_period_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    with timezone.override("Europe/Berlin"):
        make_article(headline="Last thing in June", published_at=at(2025, 6, 30, 23, 30))
        make_article(headline="First thing in July", published_at=at(2025, 7, 1, 0, 15))
        make_article(headline="Mid July", published_at=at(2025, 7, 25, 10))
        make_article(headline="Scheduled July", published_at=timezone.now() + timedelta(days=2))
    july = client.get("/archive/2025/07/").content.decode()
    assert "First thing in July" in july and "Mid July" in july
    assert "Last thing in June" not in july and "Scheduled July" not in july
    assert '<time datetime="2025-07">July 2025</time>' in july
    day = client.get("/archive/2025/07/01/").content.decode()
    assert "First thing in July" in day and "Mid July" not in day
    assert '<a href="/archive/2025/07/">July 2025</a>' in day


@pytest.mark.parametrize("url", ["/archive/2025/13/", "/archive/2025/02/30/", "/archive/2025/00/"])
def test_impossible_dates_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_archive_pages_are_paginated_and_their_queries_do_not_grow(client, django_assert_num_queries):
    for n in range(25):
        make_article(headline=f"Archived {n:02d}", published_at=at(2025, 7, 1 + n, 12))
    with django_assert_num_queries(2):  # page, nav
        first = client.get("/archive/2025/07/").content.decode()
    assert first.count('class="card"') == 20 and '<a rel="next" href="?page=2">Older</a>' in first
    assert client.get("/archive/2025/07/?page=2").content.decode().count('class="card"') == 5
    with django_assert_num_queries(1):  # months; the navigation is kept from the page before
        client.get("/archive/")


def test_footer_links_to_the_archive(client):
    make_article()
    assert '<a href="/archive/">Archive</a>' in client.get("/").content.decode()


# The share card


def test_a_story_without_a_picture_shares_a_generated_card(client):
    article = make_article(headline="Ceasefire talks resume in Paris", lead_image=make_image())
    html = client.get(article.get_absolute_url()).content.decode()
    card_url = f"http://testserver/articles/{article.slug}/share.png?v={article.version}"
    assert f'<meta property="og:image" content="{card_url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    news_article = json.loads(re.search(r'<script type="application/ld\+json">(.+?)</script>', html).group(1))
    assert news_article["image"][0]["url"] == card_url
    # A caption-only wire picture is not shown at all: no empty figure, no caption box under nothing.
    story = html.split('<div class="story-body">')[0]
    assert "<figure" not in story and "A street in the rain." not in story

    response = client.get(f"/articles/{article.slug}/share.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    card = PILImage.open(io.BytesIO(response.content))
    assert (card.format, card.size) == ("PNG", (1200, 630))
    # Not a blank card: the headline is drawn in ink on the paper.
    assert len(card.convert("L").getcolors(maxcolors=256 * 256)) > 10


def test_the_share_card_changes_with_the_headline(client):
    article = make_article(headline="First headline")
    before = client.get(f"/articles/{article.slug}/share.png").content
    article.headline = "A rather different second headline"
    article.save()
    assert client.get(f"/articles/{article.slug}/share.png").content != before


def test_unpublished_stories_have_no_share_card(client):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=3))
    assert client.get(f"/articles/{draft.slug}/share.png").status_code == 404
    assert client.get(f"/articles/{scheduled.slug}/share.png").status_code == 404


# Responsive pictures


def picture_upload(size, kind="JPEG", name="photo.jpg"):
    out = io.BytesIO()
    PILImage.new("RGB", size, "#336699").save(out, kind)
    return SimpleUploadedFile(name, out.getvalue())


def uploaded(upload, **fields):
    """Return a picture made from an upload, once the worker has made its renditions."""
    image = Image.objects.create(file=upload, **fields)
    run_waiting_tasks()
    image.refresh_from_db()
    return image


def test_an_uploaded_picture_gets_webp_and_jpeg_renditions_never_upscaled():
    image = uploaded(picture_upload((2000, 1000)), alt_text="Harbour at dawn")
    widths = sorted({r["width"] for r in image.renditions})
    assert widths == [360, 720, 1080, 1440]
    assert sorted({r["format"] for r in image.renditions}) == ["jpeg", "webp"]
    for rendition in image.renditions:
        with image.file.storage.open(rendition["name"]) as stored:
            picture = PILImage.open(stored)
            assert picture.format == {"jpeg": "JPEG", "webp": "WEBP"}[rendition["format"]]
            assert picture.size == (rendition["width"], rendition["width"] // 2)

    small = uploaded(picture_upload((500, 300), "PNG", "small.png"), alt_text="Small")
    assert sorted({r["width"] for r in small.renditions}) == [360, 500]


def test_renditions_are_made_once_not_on_every_save():
    image = uploaded(picture_upload((800, 600)), alt_text="Once")
    names = [r["name"] for r in image.renditions]
    image.caption = "A new caption"
    image.save()
    image.refresh_from_db()
    assert [r["name"] for r in image.renditions] == names
    assert len(list(image.file.storage.listdir(f"renditions/{image.key}")[1])) == len(names)
    run_waiting_tasks()  # nothing was queued by the second save, and a task run again changes nothing
    make_picture_renditions.call(image.pk)
    image.refresh_from_db()
    assert [r["name"] for r in image.renditions] == names


def test_article_page_offers_the_lead_picture_in_sizes_and_formats(client):
    image = Image.objects.create(file=picture_upload((1600, 900)), alt_text="Delegates arrive", credit="Newsroom")
    article = make_article(lead_image=image)
    before = client.get(article.get_absolute_url()).content.decode()
    # Before the worker has made the renditions, the page shows the stored picture itself.
    assert re.search(rf'<img src="{image.file.url}" alt="Delegates arrive" width="1600" height="900"', before)
    run_waiting_tasks()
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html.split('<figure class="lead-figure">')[1].split("</figure>")[0]
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', figure)
    assert webp, figure
    assert [entry.split()[1] for entry in webp.group(1).split(", ")] == ["360w", "720w", "1080w", "1440w"]
    img = re.search(r"<img [^>]+>", figure).group(0)
    assert 'srcset="' in img and "1440w" in img and 'alt="Delegates arrive"' in img
    assert 'width="1600" height="900"' in img  # space is reserved: no layout shift
    assert 'fetchpriority="high"' in img
    storage = image.file.storage
    for url in re.findall(r"(\S+) \d+w", webp.group(1)):
        assert url.startswith("/media/renditions/") and storage.exists(url.removeprefix("/media/"))


# Share links


def test_share_links_carry_the_story_and_load_no_third_party_code(client):
    article = make_article(headline="Talks & hopes")
    html = client.get(article.get_absolute_url()).content.decode()
    share = html.split('class="share"')[1].split("</aside>")[0]
    url = quote(f"http://testserver{article.get_absolute_url()}", safe="")
    assert f"mailto:?subject=Talks%20%26%20hopes&amp;body={url}" in share
    assert f"https://www.facebook.com/sharer/sharer.php?u={url}" in share
    assert f"https://x.com/intent/post?text=Talks%20%26%20hopes&amp;url={url}" in share
    assert re.findall(r">([^<>]+)</a>", share) == [
        "Email",
        "Bluesky",
        "X",
        "Facebook",
        "LinkedIn",
        "WhatsApp",
    ]
    assert "<script" not in share and "<iframe" not in share
    # Nothing on the page is fetched from another site: scripts, styles and images are our own.
    for src in re.findall(r'<(?:script|img|link|source)[^>]+(?:src|href|srcset)="([^"]+)"', html):
        assert not src.startswith(("http://", "https://", "//")) or src.startswith("http://testserver"), src


def test_machine_readable_times_are_valid_html_whole_seconds(client):
    # HTML's datetime attribute allows at most three digits of a second's fraction (the Nu checker
    # caught timezone.now()'s six).
    article = make_article(published_at=timezone.now().replace(microsecond=123456) - timedelta(minutes=5))
    for url in ("/", article.get_absolute_url(), f"/archive/{article.published_at:%Y/%m}/"):
        html = client.get(url).content.decode()
        stamps = re.findall(r'datetime="([^"]+)"', html)
        assert stamps, url
        for stamp in stamps:
            assert re.fullmatch(r"\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?)?", stamp), (url, stamp)


def test_absolute_addresses_match_djangos_for_every_kind_of_path(rf, settings):
    settings.ALLOWED_HOSTS = ["news.example"]
    request = rf.get("/anything/", HTTP_HOST="news.example:8443", secure=True)
    for path in ("/", "/news/2025/07/25/talks/", "/media/a%20b.jpg", "/ünïcode/", "//cdn.example/x.png"):
        assert structured_data.absolute(request, path) == request.build_absolute_uri(path), path
    # A storage's own absolute address (object storage) is left as it is.
    assert structured_data.absolute(request, "https://cdn.example/p.jpg") == "https://cdn.example/p.jpg"
