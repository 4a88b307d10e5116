"""What editors type reaches feed readers as the text they typed, never as markup."""

from html.parser import HTMLParser

import feedparser
import pytest

from tests.factories import add_author, make_article, make_person, make_section

pytestmark = pytest.mark.django_db

PAYLOAD = "<img src=x onerror=alert(1)>"
FEEDS = [
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/feeds/sections/world/rss.xml",
    "/feeds/sections/world/atom.xml",
    "/feeds/tags/shipping/rss.xml",
    "/feeds/tags/shipping/atom.xml",
    "/feeds/people/jane/rss.xml",
    "/feeds/people/jane/atom.xml",
]


class _Reader(HTMLParser):
    """Read HTML as a feed reader shows it: the elements it would make, and the text in between."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def as_shown(detail):
    """Return (elements, text) a reader gets from a feedparser value, HTML or plain text as its type says."""
    if detail.type in ("text/html", "application/xhtml+xml"):
        reader = _Reader()
        reader.feed(detail.value)
        reader.close()
        return reader.elements, "".join(reader.text)
    return [], detail.value


@pytest.fixture
def hostile_story():
    section = make_section(name=f"World {PAYLOAD}", slug="world", description=f"Section notes {PAYLOAD} & more")
    article = make_article(primary_section=section, headline=f"Headline {PAYLOAD}", dek=f"Standfirst {PAYLOAD} & co")
    add_author(article, make_person(name=f"Jane {PAYLOAD}", slug="jane"))
    article.tags.add("Shipping", f"Tag {PAYLOAD}")
    return article


@pytest.mark.parametrize("path", FEEDS)
def test_the_standfirst_reaches_readers_as_literal_text(client, hostile_story, path):
    feed = feedparser.parse(client.get(path).content)
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert as_shown(entry.summary_detail) == ([], f"Standfirst {PAYLOAD} & co")


@pytest.mark.parametrize("path", FEEDS)
def test_a_story_without_standfirst_sends_its_headline_as_literal_text(client, hostile_story, path):
    hostile_story.dek = ""
    hostile_story.save()
    (entry,) = feedparser.parse(client.get(path).content).entries
    assert as_shown(entry.summary_detail) == ([], f"Headline {PAYLOAD}")


@pytest.mark.parametrize("path", FEEDS)
def test_titles_names_and_categories_reach_readers_as_literal_text(client, hostile_story, path):
    feed = feedparser.parse(client.get(path).content)
    (entry,) = feed.entries
    assert as_shown(entry.title_detail) == ([], f"Headline {PAYLOAD}")
    assert entry.author_detail.name == f"Jane {PAYLOAD}"
    assert f"World {PAYLOAD}" in [tag.term for tag in entry.tags]
    assert f"Tag {PAYLOAD}" in [tag.term for tag in entry.tags]
    elements, _text = as_shown(feed.feed.title_detail)
    assert elements == []


@pytest.mark.parametrize("path", FEEDS)
def test_the_feeds_own_description_reaches_readers_as_literal_text(client, hostile_story, path):
    feed = feedparser.parse(client.get(path).content)
    elements, text = as_shown(feed.feed.subtitle_detail)
    assert elements == []
    if "/sections/" in path:
        assert text == f"Section notes {PAYLOAD} & more"
    elif "/tags/" in path:
        assert text == "Stories about Shipping from Newsroom."
    elif "/people/" in path:
        assert text == f"Stories by Jane {PAYLOAD} on Newsroom."


@pytest.mark.parametrize("path", ["/feeds/tags/shipping/rss.xml", "/feeds/tags/shipping/atom.xml"])
def test_a_tag_feed_description_carries_the_tag_name_as_text(client, hostile_story, path):
    from taggit.models import Tag

    Tag.objects.filter(slug="shipping").update(name=f"Shipping {PAYLOAD}")
    feed = feedparser.parse(client.get(path).content)
    assert as_shown(feed.feed.subtitle_detail) == ([], f"Stories about Shipping {PAYLOAD} from Newsroom.")
