"""Every feed entry names an author: its byline, else its wire credit, else the publication."""

import io
import sys

import feedparser
import pytest
from django.conf import settings

from articles.models import Section
from tests.conftest import SHARED
from tests.factories import add_author, make_article, make_person, make_section

pytestmark = pytest.mark.django_db

W3C_VALIDATOR = SHARED / "tools" / "site-checks" / "vendor" / "w3c-feedvalidator"


def seed_feeds(seed):
    """Return the address of every feed the seed story appears in, the site's, its sections' and its tags'."""
    paths = ["/feeds/atom.xml", "/feeds/rss.xml"]
    for section in Section.objects.order_by("path"):
        paths += [f"/feeds/sections/{section.path}/atom.xml", f"/feeds/sections/{section.path}/rss.xml"]
    for tag in seed.tags.order_by("slug"):
        paths += [f"/feeds/tags/{tag.slug}/atom.xml", f"/feeds/tags/{tag.slug}/rss.xml"]
    return paths


def test_every_entry_of_every_seed_feed_names_the_publication(client, seed):
    assert not seed.authorships.exists() and not seed.source  # the seed story has no byline
    site = settings.NEWSROOM["SITE_NAME"]
    for path in seed_feeds(seed):
        response = client.get(path)
        assert response.status_code == 200, path
        feed = feedparser.parse(response.content)
        assert feed.entries, path
        assert [entry.get("author") for entry in feed.entries] == [site] * len(feed.entries), path


def test_rss_items_without_a_byline_carry_no_made_up_email(client, seed):
    for path in seed_feeds(seed):
        if path.endswith("rss.xml"):
            response = client.get(path)
            # RSS's <author> must hold an e-mail address; a name alone goes in dc:creator.
            assert b"<author>" not in response.content, path
            for entry in feedparser.parse(response.content).entries:
                assert entry.author == settings.NEWSROOM["SITE_NAME"], path
                assert "email" not in entry.author_detail, path


@pytest.mark.parametrize("path", ["/feeds/atom.xml", "/feeds/rss.xml"])
def test_bylines_and_wire_credits_still_come_first(client, path):
    section = make_section(slug="world")
    bylined = make_article(primary_section=section, headline="Bylined")
    add_author(bylined, make_person(name="Jane Reporter", slug="jane-reporter"))
    make_article(primary_section=section, headline="From the wire", source="Reuters")
    make_article(primary_section=section, headline="Written here")
    entries = feedparser.parse(client.get(path).content).entries
    authors = {entry.title: entry.get("author") for entry in entries}
    assert authors == {
        "Bylined": "Jane Reporter",
        "From the wire": "Reuters",
        "Written here": settings.NEWSROOM["SITE_NAME"],
    }
    if "atom" in path:
        links = {entry.title: entry.author_detail.get("href") for entry in entries}
        assert links == {
            "Bylined": "http://testserver/people/jane-reporter/",
            "From the wire": None,
            "Written here": None,
        }


def w3c_errors(url, response):
    """Return the W3C Feed Validation Service's errors on a response, filtered as validator.w3.org/feed does."""
    if not W3C_VALIDATOR.is_dir():
        pytest.skip(f"the W3C feed validator is not at {W3C_VALIDATOR} (../shared is absent)")
    pytest.importorskip("html5lib")
    pytest.importorskip("rdflib")
    sys.path.insert(0, str(W3C_VALIDATOR))
    try:
        import feedvalidator
        from feedvalidator import compatibility
        from feedvalidator.formatter.text_plain import Formatter
        from feedvalidator.logging import Error
    finally:
        sys.path.remove(str(W3C_VALIDATOR))
    result = feedvalidator.validateStream(
        io.BytesIO(response.content), firstOccurrenceOnly=1, contentType=response["Content-Type"], base=url
    )
    events = [event for event in compatibility.AA(result["loggedEvents"]) if isinstance(event, Error)]
    return list(Formatter(events))


def test_the_w3c_validator_finds_no_error_in_any_seed_feed(client, seed):
    errors = {}
    for path in seed_feeds(seed):
        response = client.get(path)
        if found := w3c_errors(f"http://testserver{path}", response):
            errors[path] = found
    assert errors == {}
