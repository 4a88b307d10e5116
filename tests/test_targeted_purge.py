"""Targeted invalidation: a change purges the pages that show it, by key, and leaves every other page
cached. Runs on both paths: the purge log of one machine (SQLite) and Redis's channel (CI's second pass)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Correction, Section
from articles.platform import invalidation
from tests.factories import add_author, make_article, make_person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


@pytest.fixture
def purged():
    """Every purge made during the test, as the sets of keys purged."""
    seen = []

    def record(sender, keys, **kwargs):
        seen.append(set(keys))

    invalidation.pages_purged.connect(record)
    yield seen
    invalidation.pages_purged.disconnect(record)


@pytest.fixture
def newsroom():
    """World > Europe, and Sport; a story in each, read by readers before the desk does anything."""
    world = Section.objects.create(name="World", slug="world")
    europe = Section.objects.create(name="Europe", slug="europe", parent=world)
    sport = Section.objects.create(name="Sport", slug="sport")
    old = timezone.now() - timedelta(days=1)
    return {
        "world": world,
        "europe": europe,
        "sport": sport,
        "in_europe": make_article(primary_section=europe, headline="Ferries return to Calais", published_at=old),
        "in_sport": make_article(primary_section=sport, headline="Cup final goes to extra time", published_at=old),
    }


def publish_story(section, **fields):
    """Publish a story with a byline and a tag in one transaction, as the desk's save does."""
    with transaction.atomic():
        story = make_article(primary_section=section, **fields)
        reporter = make_person(name="Rita Reyes", slug="rita-reyes")
        add_author(story, reporter)
        story.tags.add("Harbours")
    return story, reporter


def test_publishing_purges_exactly_the_pages_that_will_show_the_story(client, newsroom, purged):
    story, reporter = publish_story(newsroom["europe"], headline="Storm closes the port of Dover")
    tag = story.tags.get()
    assert purged == [
        {
            f"a{story.pk}",
            f"s{newsroom['europe'].pk}",  # its section's front
            f"s{newsroom['world'].pk}",  # and the front above it
            f"t{tag.pk}",
            f"p{reporter.pk}",
            "home",
            "feed",
            "news-sitemap",
            "sitemap:1",  # the page of the stories' sitemap that holds it
            "sitemaps",  # it entered the sitemaps: the index and the people's and tags' lists change
            "any",  # pages that did not say what they show (search, archives)
            "missing",  # a 404 kept for its address
        }
    ], "one purge, once the change committed"


def test_pages_not_showing_a_published_story_stay_cached(client, newsroom, purged):
    sport_front = newsroom["sport"].get_absolute_url()
    other_story = newsroom["in_sport"].get_absolute_url()
    europe_front = newsroom["europe"].get_absolute_url()
    for url in ("/", sport_front, other_story, europe_front, "/feeds/rss.xml"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"

    publish_story(newsroom["europe"], headline="Storm closes the port of Dover")

    for url in ("/", europe_front, newsroom["world"].get_absolute_url(), "/feeds/rss.xml"):
        page = client.get(url)
        assert page["X-Page-Cache"] == "miss", url
        assert "Storm closes the port of Dover" in page.content.decode(), url
    for url in (sport_front, other_story):
        page = client.get(url)
        assert page["X-Page-Cache"] == "hit", f"{url} does not show the story and stays cached"
        assert "Storm closes the port of Dover" not in page.content.decode()


def test_a_correction_purges_the_story_and_its_lists_but_not_other_stories(client, newsroom, purged):
    story, other = newsroom["in_europe"], newsroom["in_sport"]
    for url in (story.get_absolute_url(), other.get_absolute_url(), newsroom["sport"].get_absolute_url()):
        client.get(url)
    with transaction.atomic():
        Correction.objects.create(article=story, text="The ferry company is French, not Belgian.")
    assert len(purged) == 1 and f"a{story.pk}" in purged[0] and f"a{other.pk}" not in purged[0]
    assert "sitemaps" not in purged[0], "a corrected story stays where it was in the sitemaps"
    corrected = client.get(story.get_absolute_url())
    assert corrected["X-Page-Cache"] == "miss" and "not Belgian" in corrected.content.decode()
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(newsroom["sport"].get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_page_that_showed_the_story_is_purged_after_the_story_moves_away(client, newsroom):
    """The old section's front carries the story's key: moving the story out purges it too."""
    story = newsroom["in_europe"]
    europe_front = newsroom["europe"].get_absolute_url()
    assert "Ferries return to Calais" in client.get(europe_front).content.decode()
    story.primary_section = newsroom["sport"]
    story.save()
    page = client.get(europe_front)
    assert page["X-Page-Cache"] == "miss" and "Ferries return to Calais" not in page.content.decode()


def test_cached_pages_carry_the_keys_of_what_they_show(client, newsroom):
    story = newsroom["in_europe"]
    page = client.get(story.get_absolute_url())
    assert {f"a{story.pk}", "all"} <= set(page["Surrogate-Key"].split()) and page["xkey"] == page["Surrogate-Key"]
    front = client.get(newsroom["europe"].get_absolute_url())
    keys = set(front["Surrogate-Key"].split())
    assert {f"s{newsroom['europe'].pk}", f"a{story.pk}"} <= keys and f"a{newsroom['in_sport'].pk}" not in keys
    search = set(client.get("/search/?q=ferries")["Surrogate-Key"].split())
    assert search == {"all", "any", f"a{story.pk}"}, "results are purged with any change: a new story may match"
    missing = client.get("/no-such-section/")
    assert missing.status_code == 404 and "missing" in missing["Surrogate-Key"].split()


def test_a_story_published_at_an_address_that_was_a_cached_404_is_found(client, newsroom):
    europe = newsroom["europe"]
    address = f"/{europe.path}/{timezone.now():%Y/%m/%d}/a-late-story/"
    assert client.get(address).status_code == 404
    make_article(primary_section=europe, slug="a-late-story", published_at=timezone.now() - timedelta(minutes=1))
    assert client.get(address).status_code == 200


def test_renaming_a_section_purges_every_page(client, newsroom, purged):
    """The navigation on every page shows the sections."""
    other = newsroom["in_sport"].get_absolute_url()
    client.get(other)
    newsroom["world"].name = "The World"
    newsroom["world"].save()
    assert purged[-1] == {"*"}
    assert client.get(other)["X-Page-Cache"] == "miss"


def test_a_rolled_back_change_is_purged_with_the_next_one(client, newsroom, purged):
    """Its purge is lost with the transaction, and made with the next change instead: one too many, never too few."""
    with pytest.raises(RuntimeError), transaction.atomic():
        Correction.objects.create(article=newsroom["in_sport"], text="Rolled back.")
        raise RuntimeError
    assert purged == []
    with transaction.atomic():
        Correction.objects.create(article=newsroom["in_europe"], text="Kept.")
    assert {f"a{newsroom['in_sport'].pk}", f"a{newsroom['in_europe'].pk}"} <= purged[0]


def test_withdrawing_a_story_takes_it_out_of_the_sitemaps(client, newsroom, purged):
    story = newsroom["in_europe"]
    story.status = Article.Status.WITHDRAWN
    story.save()
    assert {"sitemaps", f"a{story.pk}", "news-sitemap"} <= purged[-1]


def test_another_process_sees_a_purge_from_the_log(tmp_path):
    """Without Redis: two workers on one machine, each with its own memory, share the purge log."""
    log_file = tmp_path / "content-version.purges"
    writer, reader = invalidation.PurgeLog(log_file), invalidation.PurgeLog(log_file)
    built = reader.stamp()
    assert reader.fresh(built, {"a1", "home"})
    writer.purge({"a1"})
    reader.stamp()
    assert not reader.fresh(built, {"a1", "home"}) and reader.fresh(built, {"a2", "home"})
    writer.purge({"*"})
    reader.stamp()
    assert not reader.fresh(built, {"a2"})
    assert reader.fresh(reader.stamp(), {"a1", "a2"}), "a page built after the purges is fresh"


def test_the_old_behaviour_purges_every_page_when_asked(client, newsroom, purged, settings):
    """NEWSROOM_PURGE=everything: what `make bench-day` compares targeted purges with."""
    settings.NEWSROOM = {**settings.NEWSROOM, "PURGE": "everything"}
    other = newsroom["in_sport"].get_absolute_url()
    client.get(other)
    with transaction.atomic():
        Correction.objects.create(article=newsroom["in_europe"], text="A name was misspelt.")
    assert purged == [{"*"}]
    assert client.get(other)["X-Page-Cache"] == "miss"
