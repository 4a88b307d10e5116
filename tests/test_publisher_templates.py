"""A publisher restyles reader pages with templates of their own, ahead of the project's, without Python."""

import copy

import pytest

from tests.factories import add_author, add_mention, make_article, make_person, make_section

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
