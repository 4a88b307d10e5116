"""The queries behind readers' pages (articles/reader/reading.py): what each returns, and in how many queries."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article, Authorship, Section
from articles.reader import reading
from tests.factories import add_author, add_link, add_mention, make_article, make_image, make_person, make_section

pytestmark = pytest.mark.django_db


def test_the_story_query_answers_each_slug_with_its_own_story_and_its_related_rows(django_assert_num_queries):
    first = make_article(lead_image=make_image())
    second = make_article()
    for expected in (first, second, first):
        with django_assert_num_queries(1):
            story = reading.published_story(expected.slug)
            # Section and picture came with the story: reading them runs no query.
            assert story.primary_section.path == expected.primary_section.path
            assert (story.lead_image.pk if story.lead_image else None) == expected.lead_image_id
        assert story.pk == expected.pk and story.headline == expected.headline
        assert story.published_at == Article.objects.get(pk=expected.pk).published_at


def test_the_story_query_follows_the_clock_and_the_workflow():
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=2))
    embargoed = make_article(embargo_until=timezone.now() + timedelta(hours=1))
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    assert reading.published_story(scheduled.slug) is None
    assert reading.published_story(embargoed.slug) is None
    assert reading.published_story(draft.slug) is None
    later = timezone.now() + timedelta(hours=3)
    assert reading.published_story(scheduled.slug, now=later).pk == scheduled.pk
    assert reading.published_story(embargoed.slug, now=later).pk == embargoed.pk
    assert reading.published_story("no-such-story") is None


def test_story_parts_match_the_orm_in_order_and_content():
    article = make_article()
    other = make_article()
    authors = [add_author(article, position=2), add_author(article, position=1)]
    add_author(other)
    mention = add_mention(article, title="Foreign Minister")
    add_link(article, title="Background", url="https://example.org/a")
    add_link(article, title="Inside", url="", target_article=other)
    article.tags.add("Cairo", "United Nations")
    other.tags.add("Lagos")
    authors[0].role = Authorship.Role.PHOTOGRAPHER
    authors[0].save()
    parts = reading.story_parts(article)
    # Bylines in the ORM's order, as (address, name, role): an author's role goes unsaid.
    assert parts["authorships"] == [
        (a.person.get_absolute_url(), a.person.name, "" if a.role == "author" else a.get_role_display().lower())
        for a in article.authorships.all()
    ]
    assert parts["authorships"] == [
        (authors[1].person.get_absolute_url(), authors[1].person.name, ""),
        (authors[0].person.get_absolute_url(), authors[0].person.name, "photographer"),
    ]
    assert parts["mentions"] == [(mention.person.get_absolute_url(), mention.person.name, "Foreign Minister")]
    assert [link.title for link in parts["links"]] == ["Background", "Inside"]
    assert parts["links"][1].get_absolute_url() == other.get_absolute_url()
    assert parts["tags"] == [("/tags/cairo/", "Cairo"), ("/tags/united-nations/", "United Nations")]
    assert parts["corrections"] == []


def test_section_lists_take_the_section_and_those_below_it_and_escape_the_path():
    # "_" is a LIKE wildcard: the path "a_b/" must not match "axb/…".
    parent = make_section(slug="a_b", path="a_b")
    child = make_section(slug="c", path="a_b/c", parent=parent)
    lookalike = make_section(slug="axb", path="axb")
    lookalike_child = make_section(slug="c", path="axb/c", parent=lookalike)
    own = make_article(primary_section=parent)
    below = make_article(primary_section=child)
    make_article(primary_section=lookalike_child)
    rows = reading.section_latest(Section.objects.get(path="a_b"), 0, 10)
    assert {a.pk for a in rows} == {own.pk, below.pk}
    assert reading.section_latest(lookalike, 0, 10)[0].primary_section.path == "axb/c"


def test_lists_page_through_the_public_stories_newest_first():
    stories = [make_article(published_at=timezone.now() - timedelta(hours=h)) for h in range(1, 6)]
    make_article(status=Article.Status.DRAFT, published_at=None)
    assert [a.pk for a in reading.latest(0, 2)] == [stories[0].pk, stories[1].pk]
    assert [a.pk for a in reading.latest(2, 4)] == [stories[2].pk, stories[3].pk]
    assert [a.pk for a in reading.cards([stories[4].pk, stories[1].pk])] == [stories[1].pk, stories[4].pk]
    assert reading.cards([]) == []
    assert reading.recent_paths(1) == [(stories[0].pk, stories[0].primary_section.path)]


def test_cards_carry_what_the_model_would_give_a_card():
    parent = make_section(slug="world", path="world", name="World")
    child = make_section(slug="asia", path="world/asia", name="Asia & Pacific", parent=parent)
    stories = [
        make_article(primary_section=child, dek="A standfirst", published_at=timezone.now() - timedelta(hours=h))
        for h in (1, 2)
    ]
    cards = reading.section_latest(parent, 0, 10)
    for card, story in zip(cards, stories, strict=True):
        story = Article.objects.select_related("primary_section").get(pk=story.pk)
        assert (card.pk, card.headline, card.slug, card.dek) == (story.pk, story.headline, story.slug, story.dek)
        assert card.published_at == story.published_at and card.is_public() and story.is_public()
        assert card.get_absolute_url() == story.get_absolute_url()
        assert card.primary_section.name == "Asia & Pacific"
        assert card.primary_section.get_absolute_url() == story.primary_section.get_absolute_url()
    # Stories of one section share one section object.
    assert cards[0].primary_section is cards[1].primary_section
    Article.objects.filter(pk=stories[0].pk).update(embargo_until=timezone.now() + timedelta(hours=1))
    assert [card.pk for card in reading.cards([stories[0].pk, stories[1].pk])] == [stories[1].pk]


def test_menu_and_trail_come_from_one_query(django_assert_num_queries):
    world = make_section(slug="world", path="world", name="World", position=2)
    news = make_section(slug="news", path="news", name="News", position=1)
    asia = make_section(slug="asia", path="world/asia", name="Asia", parent=world)
    east = make_section(slug="east", path="world/asia/east", name="East Asia", parent=asia)
    make_section(slug="europe", path="world/europe", name="Europe", parent=world)
    with django_assert_num_queries(1):
        menu, trail = reading.menu_and_trail(east)
    assert menu == [("/news/", "News"), ("/world/", "World")]  # top level only, in menu order
    assert trail == [("/world/", "World"), ("/world/asia/", "Asia"), ("/world/asia/east/", "East Asia")]
    assert reading.menu_and_trail(news) == ([("/news/", "News"), ("/world/", "World")], [("/news/", "News")])


def test_story_parts_come_in_one_query_a_kind_whatever_their_number(django_assert_num_queries):
    article = make_article()
    for position in range(4):
        add_author(article, position=position)
        add_mention(article, title=f"Title {position}")
        add_link(article, title=f"Link {position}", url="", target_article=make_article())
    article.tags.add("Cairo", "Lagos", "Lima")
    story = reading.published_story(article.slug)
    # bylines, mentions, tags, links with their stories' addresses, corrections
    with django_assert_num_queries(5):
        parts = reading.story_parts(story)
        addresses = [link.get_absolute_url() for link in parts["links"]]
    assert len(parts["authorships"]) == 4 and len(parts["mentions"]) == 4 and len(parts["tags"]) == 3
    assert all(address.startswith("/") for address in addresses)


def test_feeds_and_story_pages_list_bylines_in_the_same_order(client):
    article = make_article(source="Wire")
    add_author(article, make_person(name="Second Writer", slug="second-writer"), position=2)
    add_author(article, make_person(name="First Writer", slug="first-writer"), position=1)
    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get("/feeds/rss.xml").content.decode()
    assert 'By <a href="/people/first-writer/">First Writer</a> and <a href="/people/second-writer/">Second' in page
    assert "First Writer, Second Writer" in feed


# Django's compiler and iterables, and the database driver's own connection: none documented.
PRIVATE_DJANGO = re.compile(
    r"get_compiler|klass_info|get_related_populators|_iterable_class|apply_converters|connection\.connection\b"
    r"|\.query\.|from django\S* import _|\.extra\("
)
READER_MODULES = (
    "reader/reading.py",
    "reader/views.py",
    "distribution/feeds.py",
    "distribution/sitemaps.py",
    "reader/structured_data.py",
    "reader/rendering.py",
    "templatetags/newsroom.py",
)


def test_reader_pages_are_built_on_documented_django_only():
    app = Path(settings.BASE_DIR) / "articles"
    assert not (app / "prepared.py").exists()
    for name in READER_MODULES:
        found = PRIVATE_DJANGO.findall((app / name).read_text(encoding="utf-8"))
        assert not found, f"{name} uses {found}"
