"""A withdrawn story: its address answers 410 Gone with a short notice, and it leaves every sitemap."""

import pytest

from articles.models import Article
from tests.factories import add_author, make_article, make_person, make_staff
from tests.test_reader_words_translate import write_catalogue

pytestmark = pytest.mark.django_db


def withdraw(article):
    article.status = Article.Status.WITHDRAWN
    article.save()


def test_a_withdrawn_story_answers_gone_with_a_notice_in_the_site_layout(client):
    article = make_article(headline="A story with a legal problem", dek="What it claimed.")
    address = article.get_absolute_url()
    withdraw(article)
    response = client.get(address)
    assert response.status_code == 410
    html = response.content.decode()
    assert "<h1>This story has been withdrawn</h1>" in html
    assert '<a href="/corrections/">corrections page</a>' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html  # the site's own layout
    assert '<meta name="robots" content="noindex">' in html
    # Nothing of what was withdrawn is repeated.
    assert "legal problem" not in html and "What it claimed." not in html


def test_the_notice_reads_in_the_sites_language(client, settings, tmp_path):
    french = {"Story withdrawn": "Article retiré", "This story has been withdrawn": "Cet article a été retiré"}
    write_catalogue(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.mo", french)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.LANGUAGE_CODE = "fr"
    article = make_article()
    withdraw(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Article retiré – " in html and "<h1>Cet article a été retiré</h1>" in html


def test_drafts_and_unknown_addresses_stay_not_found(client):
    draft = make_article(status=Article.Status.DRAFT, published_at=None, slug="a-draft")
    assert client.get(f"/news/2025/01/01/{draft.slug}/").status_code == 404
    assert client.get("/news/2025/01/01/never-written/").status_code == 404


def test_the_old_address_of_a_story_moved_then_withdrawn_is_gone_too(client):
    article = make_article(slug="first-address")
    old = article.get_absolute_url()
    article.slug = "second-address"
    article.save()
    withdraw(article)
    assert client.get(old).status_code == 410
    assert client.get(article.get_absolute_url()).status_code == 410


def test_staff_still_preview_a_withdrawn_story_at_its_address(client):
    article = make_article(headline="Withdrawn but kept for the record")
    withdraw(article)
    client.force_login(make_staff())
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "preview-banner" in response.content.decode()


@pytest.mark.page_cache
def test_the_gone_page_is_cached_until_the_story_comes_back(client):
    article = make_article(headline="Back after a fix")
    address = article.get_absolute_url()
    withdraw(article)
    assert client.get(address)["X-Page-Cache"] == "miss"
    second = client.get(address)
    assert second.status_code == 410 and second["X-Page-Cache"] == "hit"
    article.status = Article.Status.PUBLISHED
    article.save()
    back = client.get(address)
    assert back.status_code == 200 and "Back after a fix" in back.content.decode()


def test_a_withdrawn_story_leaves_every_sitemap(client):
    person = make_person(name="Only Here", slug="only-here")
    article = make_article(headline="Soon withdrawn", slug="soon-withdrawn")
    add_author(article, person)
    article.tags.add("Only tag")
    kept = make_article(slug="still-public")
    sitemaps = ("articles", "news", "people", "tags")

    def listed():
        return "".join(client.get(f"/sitemap-{name}.xml").content.decode() for name in sitemaps)

    before = listed()
    assert "soon-withdrawn" in before and "/people/only-here/" in before and "/tags/only-tag/" in before
    withdraw(article)
    after = listed()
    assert "soon-withdrawn" not in after and "/people/only-here/" not in after and "/tags/only-tag/" not in after
    assert kept.slug in after
