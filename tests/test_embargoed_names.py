"""Names that only embargoed, scheduled or unpublished stories use stay unknown until a public story uses them."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import add_author, add_mention, make_article, make_person

pytestmark = pytest.mark.django_db


def _hidden_stories():
    """Return a story of each kind a reader may not see yet."""
    now = timezone.now()
    return {
        "embargoed": make_article(headline="Under embargo", embargo_until=now + timedelta(hours=3)),
        "scheduled": make_article(headline="Not yet out", published_at=now + timedelta(hours=3)),
        "draft": make_article(headline="Still a draft", status=Article.Status.DRAFT, published_at=None),
        "withdrawn": make_article(headline="Taken down", status=Article.Status.WITHDRAWN),
    }


@pytest.mark.parametrize("kind", ["embargoed", "scheduled", "draft", "withdrawn"])
def test_a_tag_used_only_on_a_hidden_story_is_not_found(client, kind):
    story = _hidden_stories()[kind]
    story.tags.add("Secret Merger")
    response = client.get("/tags/secret-merger/")
    assert response.status_code == 404
    assert "Secret Merger" not in response.content.decode()


@pytest.mark.parametrize("kind", ["embargoed", "scheduled", "draft", "withdrawn"])
@pytest.mark.parametrize("part", ["byline", "mention"])
def test_a_person_named_only_in_a_hidden_story_is_not_found(client, kind, part):
    person = make_person(name="Ada Undisclosed", slug="ada-undisclosed")
    story = _hidden_stories()[kind]
    (add_author if part == "byline" else add_mention)(story, person)
    response = client.get("/people/ada-undisclosed/")
    assert response.status_code == 404
    assert "Ada Undisclosed" not in response.content.decode()


def test_a_person_with_no_story_at_all_is_not_found(client):
    make_person(name="Nobody Yet", slug="nobody-yet")
    assert client.get("/people/nobody-yet/").status_code == 404


def test_names_appear_once_a_public_story_uses_them(client):
    person = make_person(name="Ada Undisclosed", slug="ada-undisclosed")
    due = timezone.now() + timedelta(seconds=3)
    story = make_article(headline="Merger announced", published_at=due)
    add_mention(story, person)
    story.tags.add("Secret Merger")
    assert client.get("/tags/secret-merger/").status_code == 404
    assert client.get("/people/ada-undisclosed/").status_code == 404

    # The scheduled time passes with nothing written in between; kept answers last at most a second past it.
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 1.1)
    tag_page = client.get("/tags/secret-merger/")
    person_page = client.get("/people/ada-undisclosed/")
    assert tag_page.status_code == 200 and "Merger announced" in tag_page.content.decode()
    assert person_page.status_code == 200 and "Merger announced" in person_page.content.decode()


def test_a_byline_on_a_public_story_is_enough_for_a_person_page(client):
    person = make_person(name="Rita Reporter", slug="rita-reporter")
    add_author(make_article(headline="Rita's story"), person)
    response = client.get("/people/rita-reporter/")
    assert response.status_code == 200 and "Rita&#x27;s story" in response.content.decode()


def test_sitemaps_search_and_the_api_do_not_name_hidden_tags_or_people(client):
    person = make_person(name="Ada Undisclosed", slug="ada-undisclosed")
    for story in _hidden_stories().values():
        add_mention(story, person)
        add_author(story, person)
        story.tags.add("Secret Merger")
    public = make_article(headline="Weather turns")
    public.tags.add("Weather")
    for path in ("/sitemap-people.xml", "/sitemap-tags.xml", "/api/ninjs/", "/search/?q=merger", "/"):
        html = client.get(path).content.decode()
        assert "ada-undisclosed" not in html and "Ada Undisclosed" not in html, path
        assert "secret-merger" not in html and "Secret Merger" not in html, path
    assert "/tags/weather/" in client.get("/sitemap-tags.xml").content.decode()


def test_tag_and_person_feeds_of_hidden_names_are_not_found(client):
    person = make_person(name="Ada Undisclosed", slug="ada-undisclosed")
    story = _hidden_stories()["embargoed"]
    add_author(story, person)
    story.tags.add("Secret Merger")
    for path in ("/feeds/tags/secret-merger/rss.xml", "/feeds/people/ada-undisclosed/atom.xml"):
        assert client.get(path).status_code == 404, path
