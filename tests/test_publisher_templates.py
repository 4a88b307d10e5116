"""A publisher restyles reader pages with templates of their own, ahead of the project's, without Python."""

import copy

import pytest

from articles.models import Article, RelatedLink
from tests.factories import add_author, add_link, add_mention, make_article, make_person, make_section

pytestmark = pytest.mark.django_db

PUBLISHER_CARD = '<div class="publisher-card">{{ article.headline }} in {{ article.primary_section.name }}</div>\n'


@pytest.fixture
def publisher_templates(settings, tmp_path):
    """A publisher's template folder, searched before the project's own."""
    folder = tmp_path / "publisher-templates"
    (folder / "articles" / "includes").mkdir(parents=True)
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [folder, *templates[0]["DIRS"]]
    # Assigning TEMPLATES through pytest-django's settings fixture rebuilds the template engines.
    settings.TEMPLATES = templates
    return folder


def test_a_publishers_story_card_shows_on_every_list_of_stories(client, publisher_templates):
    (publisher_templates / "articles" / "includes" / "card.html").write_text(PUBLISHER_CARD)
    section = make_section(name="Weather", slug="weather")
    writer, named = make_person(name="Rae Writer", slug="rae-writer"), make_person(name="Sam Named", slug="sam-named")
    story = make_article(headline="Storm reaches the coast", primary_section=section)
    story.tags.add("Storms")
    add_author(story, writer)
    add_mention(story, named)
    card = '<div class="publisher-card">Storm reaches the coast in Weather</div>'

    for address in ["/", "/weather/", "/tags/storms/", "/people/rae-writer/", "/people/sam-named/"]:
        html = client.get(address).content.decode()
        assert card in html, address
        assert 'class="card-headline"' not in html, address


@pytest.mark.parametrize("name", ["byline", "people", "topics", "related", "share", "read_more", "breadcrumbs"])
def test_a_publishers_template_for_each_part_of_a_story_page_shows_on_it(client, publisher_templates, name):
    (publisher_templates / "articles" / "includes" / f"{name}.html").write_text(f"<p>publisher {name}</p>")
    story = make_article(headline="Storm reaches the coast", primary_section=make_section(name="Weather"))
    story.tags.add("Storms")
    add_author(story, make_person(name="Rae Writer"))
    add_mention(story, make_person(name="Sam Named"))
    add_link(story, title="Earlier storms", kind=RelatedLink.Kind.READ_MORE, anchor_block=1)
    add_link(story, title="Flood warnings", kind=RelatedLink.Kind.RELATED)
    html = client.get(story.get_absolute_url()).content.decode()
    assert f"<p>publisher {name}</p>" in html


def test_a_kept_card_follows_an_update_that_sends_no_signal(client):
    story = make_article(headline="Storm reaches the coast")
    address = f"/archive/{story.published_at:%Y}/{story.published_at:%m}/"
    assert "Storm reaches the coast" in client.get(address).content.decode()
    # A bulk update() sends no signal, so the content version the cards are kept under stays.
    Article.objects.filter(pk=story.pk).update(headline="Storm passes the coast")
    html = client.get(address).content.decode()
    assert "Storm passes the coast" in html and "Storm reaches the coast" not in html


def test_a_publishers_meta_tags_template_writes_a_storys_sharing_card(client, publisher_templates):
    (publisher_templates / "articles" / "includes" / "meta_tags.html").write_text(
        "{% for attribute, name, content in rows %}"
        '<meta data-publisher {{ attribute }}="{{ name }}" content="{{ content }}">{% endfor %}'
    )
    story = make_article(headline="Storm <reaches> the coast")
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<meta data-publisher property="og:title" content="Storm &lt;reaches&gt; the coast">' in html


def test_a_publishers_sitemap_template_writes_the_sitemaps(client, publisher_templates):
    (publisher_templates / "sitemaps").mkdir()
    (publisher_templates / "sitemaps" / "urlset.xml").write_text(
        "<urlset>{% for url in urlset %}<publisher-url>{{ url.location }}</publisher-url>{% endfor %}</urlset>"
    )
    story = make_article(slug="storm-reaches-the-coast")
    xml = client.get("/sitemap-articles.xml").content.decode()
    assert f"<publisher-url>http://testserver{story.get_absolute_url()}</publisher-url>" in xml
